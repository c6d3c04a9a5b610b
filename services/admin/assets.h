// services/admin/assets.h — the page's files, gzipped and embedded at build time (web-admin/).
#pragma once

#include <cstddef>
#include <span>

namespace sb::admin {

struct Asset {
  const char* path;          // "/", "/app.js", …
  const char* content_type;
  const unsigned char* gzip;  // gzip -9 of the file
  std::size_t size;
};

std::span<const Asset> assets();

}  // namespace sb::admin
