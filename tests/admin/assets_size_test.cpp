// The page is small (under 60 KB gzipped in all) and served with its safety headers.
#include <doctest/doctest.h>

#include "services/admin/assets.h"
#include "tests/admin/admin_fixture.h"

using namespace sb::test;

TEST_CASE("the embedded page is under 60 KB gzipped") {
  std::size_t total = 0;
  for (const auto& a : sb::admin::assets()) {
    std::string path = a.path;
    CAPTURE(path);
    CHECK(a.size > 20);
    CHECK(a.gzip[0] == 0x1f);  // gzip magic
    CHECK(a.gzip[1] == 0x8b);
    total += a.size;
  }
  MESSAGE("page assets: " << total << " bytes gzipped");
  CHECK(total < 60 * 1024);
}

TEST_CASE("every asset is served, gzipped or not, with the CSP and no inline script") {
  AdminFixture f;
  for (const auto& a : sb::admin::assets()) {
    std::string path = a.path;
    CAPTURE(path);
    auto gz = f.call("GET", a.path, {}, {}, true, "gzip");
    CHECK(gz.status == 200);
    CHECK(gz.content_encoding == "gzip");
    CHECK(gz.body.size() == a.size);
    auto plain = f.get(a.path, {});
    CHECK(plain.status == 200);
    CHECK(plain.content_type == a.content_type);
    if (std::string(a.path) == "/") {
      CHECK(plain.body.find("<script>") == std::string::npos);
      CHECK(plain.body.find("style=") == std::string::npos);
      CHECK(plain.body.find("onclick") == std::string::npos);
    }
  }
}
