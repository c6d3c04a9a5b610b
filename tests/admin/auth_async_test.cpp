// Setting a password from the event loop (first-run setup, adding a user, a reset) hashes it on
// Auth's hashing thread: the call returns before the hash exists and the change lands when the
// posted result runs; input errors and a name taken are told at once, without hashing; a full
// hashing queue answers busy at once. No timing: the posted jobs are held and run by the test.
#include <doctest/doctest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "hal/clock/fake_clock.h"
#include "services/admin/auth.h"
#include "tests/admin/recording_roster.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {

// Stands for the io_context: finished hashes wait here until the test runs them.
struct HeldPosts {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> jobs;

  admin::PasswordHasher::Post post() {
    return [this](std::function<void()> f) {
      std::lock_guard lock(mu);
      jobs.push_back(std::move(f));
      cv.notify_all();
    };
  }
  // Waits for `n` finished hashes and runs them, in order, on this thread.
  void run(std::size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return jobs.size() >= n; });
    auto ready = std::move(jobs);
    jobs.clear();
    lock.unlock();
    for (auto& f : ready) f();
  }
};

// An Auth on a real store, with few iterations unless told (a test of a full queue wants slow
// hashes), and the held posts.
struct Rig {
  test::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open(dir.sub("db")).value();
  FakeClock clock;
  test::RecordingRoster roster;
  admin::Auth auth;
  HeldPosts posts;
  explicit Rig(std::uint32_t iterations = 1000, std::size_t hash_queue = 4)
      : auth(*store, clock, roster, iterations, {}, hash_queue) {}
};

struct Outcome {
  bool called = false;
  Result<void> result;
};

admin::Auth::Done into(Outcome& o) {
  return [&o](Result<void> r) {
    o.called = true;
    o.result = std::move(r);
  };
}

}  // namespace

TEST_CASE("auth: setup, add_user and set_password hash off the caller's thread") {
  Rig rig;
  admin::Auth& auth = rig.auth;
  HeldPosts& posts = rig.posts;

  Outcome setup;
  auth.setup(auth.setup_token(), "root", "admin-pass-1", posts.post(), into(setup));
  CHECK_FALSE(setup.called);  // the hash is not done on this thread
  CHECK_FALSE(auth.has_admin());
  posts.run(1);
  REQUIRE(setup.called);
  CHECK(setup.result.ok());
  CHECK(auth.has_admin());
  CHECK(auth.setup_token().empty());

  Outcome add;
  auth.add_user("ana", "agent", "agent-pass-1", posts.post(), into(add));
  CHECK_FALSE(add.called);
  CHECK_FALSE(auth.user("ana"));
  posts.run(1);
  REQUIRE(add.called);
  CHECK(add.result.ok());
  REQUIRE(auth.user("ana"));
  CHECK(admin::role_name(auth.user("ana")->role) == "agent");

  Outcome reset;
  auth.set_password("ana", "another-pass-2", posts.post(), into(reset));
  CHECK_FALSE(reset.called);
  posts.run(1);
  REQUIRE(reset.called);
  CHECK(reset.result.ok());

  // The new password is the one that logs in.
  std::vector<admin::LoginOutcome> logins;
  for (auto* pw : {"agent-pass-1", "another-pass-2"})
    auth.login("ana", pw, "127.0.0.1", posts.post(),
               [&](admin::LoginOutcome o) { logins.push_back(std::move(o)); });
  posts.run(2);
  REQUIRE(logins.size() == 2);
  CHECK(logins[0].kind == admin::LoginOutcome::Kind::wrong);
  CHECK(logins[1].kind == admin::LoginOutcome::Kind::ok);
}

TEST_CASE("auth: what can be refused without a hash is refused at once") {
  Rig rig;
  admin::Auth& auth = rig.auth;
  HeldPosts& posts = rig.posts;

  REQUIRE_FALSE(auth.setup_token().empty());
  Outcome wrong_token;
  auth.setup("not-the-token", "root", "admin-pass-1", posts.post(), into(wrong_token));
  REQUIRE(wrong_token.called);
  CHECK(wrong_token.result.error().message ==
        "wrong setup token (it is printed in the service log at start)");
  REQUIRE(auth.add_user("root", "admin", "admin-pass-1"));

  Outcome short_pw, taken, nobody, bad_role;
  auth.add_user("ana", "agent", "short", posts.post(), into(short_pw));
  auth.add_user("root", "agent", "long-enough-1", posts.post(), into(taken));
  auth.set_password("nobody", "long-enough-1", posts.post(), into(nobody));
  auth.add_user("ana", "boss", "long-enough-1", posts.post(), into(bad_role));
  for (Outcome* o : {&short_pw, &taken, &nobody, &bad_role}) REQUIRE(o->called);
  CHECK(short_pw.result.error().code == ErrorCode::invalid);
  CHECK(taken.result.error().code == ErrorCode::conflict);
  CHECK(nobody.result.error().code == ErrorCode::not_found);
  CHECK(bad_role.result.error().code == ErrorCode::invalid);
  CHECK(posts.jobs.empty());  // nothing was hashed
}

TEST_CASE("auth: a second setup that finished hashing after the first is refused") {
  Rig rig;
  admin::Auth& auth = rig.auth;
  HeldPosts& posts = rig.posts;
  const std::string token = auth.setup_token();
  Outcome first, second;
  auth.setup(token, "root", "admin-pass-1", posts.post(), into(first));
  auth.setup(token, "mallory", "admin-pass-2", posts.post(), into(second));
  posts.run(2);
  REQUIRE(first.called);
  REQUIRE(second.called);
  CHECK(first.result.ok());
  CHECK_FALSE(second.result.ok());
  CHECK_FALSE(auth.user("mallory"));
}

TEST_CASE("auth: a full hashing queue answers busy at once") {
  // Slow hashes (seconds each) and a queue of 2: the third waits for nothing, it is refused.
  Rig rig(3'000'000, 2);
  admin::Auth& auth = rig.auth;
  REQUIRE(auth.add_user("root", "admin", "admin-pass-1"));
  HeldPosts& posts = rig.posts;
  Outcome a, b, c;
  auth.set_password("root", "new-pass-0001", posts.post(), into(a));
  auth.set_password("root", "new-pass-0002", posts.post(), into(b));
  auth.add_user("ana", "agent", "agent-pass-1", posts.post(), into(c));
  REQUIRE(c.called);
  CHECK(c.result.error().code == ErrorCode::busy);
  CHECK_FALSE(a.called);
  CHECK_FALSE(b.called);
  posts.run(2);
  CHECK(a.result.ok());
  CHECK(b.result.ok());
}

TEST_CASE("auth: the roster hears of admins and agents when made, changed or logged in; never of technicians") {
  Rig rig;
  admin::Auth& auth = rig.auth;
  Outcome setup;
  auth.setup(auth.setup_token(), "root", "admin-pass-1", rig.posts.post(), into(setup));
  rig.posts.run(1);
  REQUIRE(setup.result.ok());
  REQUIRE(auth.add_user("tom", "technician", "tech-pass-1").ok());
  REQUIRE(auth.add_user("ana", "agent", "agent-pass-1").ok());
  CHECK(rig.roster.calls == std::vector<std::string>{"root", "ana"});
  // A refused user is not enrolled; a failed login asks nothing, a good one asks again.
  CHECK_FALSE(auth.add_user("ana", "agent", "agent-pass-1").ok());
  std::vector<admin::LoginOutcome> logins;
  for (auto* pw : {"wrong-pass-00", "agent-pass-1"})
    auth.login("ana", pw, "127.0.0.1", rig.posts.post(),
               [&](admin::LoginOutcome o) { logins.push_back(std::move(o)); });
  rig.posts.run(2);
  REQUIRE(logins.size() == 2);
  CHECK(rig.roster.calls == std::vector<std::string>{"root", "ana", "ana"});
  // The technician made an agent is enrolled by the change; made technician again, not.
  REQUIRE(auth.set_role("tom", "agent").ok());
  CHECK(rig.roster.calls.back() == "tom");
  REQUIRE(auth.set_role("tom", "technician").ok());
  CHECK(rig.roster.calls.size() == 4);
  CHECK(rig.roster.members == std::set<std::string>{"root", "ana", "tom"});
}
