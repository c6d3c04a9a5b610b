// User and session records as a binary from before the role enum wrote them (the role as its
// name only) are read as that role by auth, with nothing rewritten at start; a change to one
// writes the enum and drops the name.
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include "hal/clock/fake_clock.h"
#include "services/admin/auth.h"
#include "services/proto/records.pb.h"
#include "tests/admin/recording_roster.h"
#include "tests/support/temp_dir.h"

using namespace sb;
namespace pb = switchboard::store;

namespace {

// How auth keys a session: the hex SHA-256 of its token.
std::string token_key(const std::string& token) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(token.data(), token.size(), d, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < n; ++i) {
    s += hex[d[i] >> 4];
    s += hex[d[i] & 15];
  }
  return s;
}

pb::User stored_user(store::Store& st, const std::string& name) {
  pb::User u;
  st.read([&](const store::ReadTxn& r) { REQUIRE(r.get_proto(store::Table::users, name, u)); });
  return u;
}

// Rewrites a user record as the older binary had it: the role's name, no enum.
void make_old(store::Store& st, const std::string& name, const std::string& role) {
  REQUIRE(st.write([&](store::WriteTxn& w) -> Result<void> {
              pb::User u;
              REQUIRE(w.get_proto(store::Table::users, name, u));
              u.clear_role_code();
              u.set_legacy_role(role);
              w.put_proto(store::Table::users, name, u);
              return {};
            }).ok());
}

}  // namespace

TEST_CASE("roles: names round-trip, an unknown name is refused") {
  for (const char* n : {"admin", "agent", "technician"}) {
    auto r = admin::parse_role(n);
    REQUIRE(r);
    CHECK(admin::role_name(*r) == n);
  }
  CHECK(admin::parse_role("admin") != admin::parse_role("agent"));
  CHECK_FALSE(admin::parse_role("boss"));
  CHECK_FALSE(admin::parse_role(""));
  CHECK(admin::role_name(pb::USER_ROLE_UNSPECIFIED).empty());
}

TEST_CASE("roles: user and session records an older binary wrote read right; a change writes "
          "the enum") {
  test::TempDir dir;
  auto st = store::Store::open(dir.sub("db")).value();
  FakeClock clock;
  test::RecordingRoster roster;
  {
    admin::Auth first(*st, clock, roster, 1000);
    REQUIRE(first.add_user("root", "admin", "admin-pass-1").ok());
    REQUIRE(first.add_user("tom", "technician", "tech-pass-1").ok());
  }
  make_old(*st, "root", "admin");
  make_old(*st, "tom", "technician");
  const pb::User root = stored_user(*st, "root");
  REQUIRE(root.role_code() == pb::USER_ROLE_UNSPECIFIED);
  // A session the older binary kept across its restart.
  const std::string token = "a-token-from-before-the-upgrade";
  pb::AdminSession old_session;
  old_session.set_user("root");
  old_session.set_legacy_role("admin");
  old_session.set_csrf("csrf-1");
  old_session.set_generation(root.generation());
  old_session.set_last_seen_ms(clock.wall_ms());
  REQUIRE(st->write([&](store::WriteTxn& w) -> Result<void> {
               w.put_proto(store::Table::sessions, token_key(token), old_session);
               return {};
             }).ok());

  admin::Auth auth(*st, clock, roster, 1000);  // the upgraded binary starts
  CHECK(auth.has_admin());
  CHECK(auth.setup_token().empty());  // no setup token: the old admin counts
  REQUIRE(auth.user("tom"));
  CHECK(admin::role_name(auth.user("tom")->role) == "technician");
  const admin::Session* s = auth.session(token);
  REQUIRE(s);  // still logged in: the session's role and the user's agree
  CHECK(admin::role_name(s->role) == "admin");
  CHECK(s->csrf == "csrf-1");
  // The last admin is still found through its old record.
  auto last = auth.set_disabled("root", true);
  REQUIRE_FALSE(last.ok());
  CHECK(last.error().message == "'root' is the last enabled admin: add another first");
  CHECK(stored_user(*st, "root").legacy_role() == "admin");  // a refusal writes nothing

  // Changes write the enum and drop the name.
  REQUIRE(auth.set_role("tom", "agent").ok());
  const pb::User tom = stored_user(*st, "tom");
  CHECK(tom.role_code() == pb::ROLE_AGENT);
  CHECK(tom.legacy_role().empty());
  clock.advance(6 * 60 * 1000);  // the session's last use is written again
  REQUIRE(auth.session(token));
  pb::AdminSession written;
  st->read([&](const store::ReadTxn& r) {
    REQUIRE(r.get_proto(store::Table::sessions, token_key(token), written));
  });
  CHECK(written.role_code() == pb::ROLE_ADMIN);
  CHECK(written.legacy_role().empty());
}
