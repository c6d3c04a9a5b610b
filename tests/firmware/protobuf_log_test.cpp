// tests/firmware/protobuf_log_test.cpp — protobuf's complaints go to the service log, bounded.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "firmware/protobuf_log.h"
#include "services/proto/switchboard.pb.h"
#include "tests/support/temp_dir.h"

using namespace sb;

namespace {

std::string read_all(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  return out;
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// An InboundMessage whose `text` (field 4, a proto3 string) holds invalid UTF-8: protobuf
// refuses it and says so on its log.
std::string bad_payload() {
  std::string p;
  p += static_cast<char>((4 << 3) | 2);
  p += static_cast<char>(3);
  p += "\xff\xfe\xfd";
  return p;
}

}  // namespace

TEST_CASE("5,000 bad payloads: nothing on stderr, a bounded number of lines in the log") {
  std::FILE* logged = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(logged);
  REQUIRE(err);
  std::fflush(stderr);
  const int saved = ::dup(2);
  ::dup2(::fileno(err), 2);
  std::size_t refused = 0;
  {
    Log log(Level::info, logged);
    firmware::ProtobufLogRoute route(log, 10);
    for (int i = 0; i < 5000; ++i) {
      switchboard::v1::InboundMessage m;
      refused += !m.ParseFromString(bad_payload());
    }
  }
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  CHECK(refused == 5000);
  const std::string text = read_all(logged);
  CHECK(text.find("protobuf") != std::string::npos);
  CHECK(text.find("UTF-8") != std::string::npos);
  CHECK(lines(text) == 10);
  CHECK(read_all(err).empty());
  std::fclose(logged);
  std::fclose(err);
}
