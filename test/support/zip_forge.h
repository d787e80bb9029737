#pragma once
// Forged zips for tests: an archive whose central directory and local header declare another
// uncompressed size than the data holds, so a "huge entry" costs no memory to build.

#include <cstdint>
#include <string>

namespace noj::testing {

// Rewrites the declared uncompressed size (32-bit fields; no zip64) of the entry called `name` in
// both its central directory record and its local header. Returns "" if the layout is not the
// plain one libzip writes (no archive comment, no zip64).
inline std::string WithDeclaredSize(std::string zip, const std::string& name, uint32_t size) {
  auto u16 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(zip[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(zip[at + 1])) << 8;
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  if (zip.size() < 22) return "";
  const size_t eocd = zip.size() - 22;
  if (u32(eocd) != 0x06054b50) return "";
  const uint32_t count = u16(eocd + 10);
  size_t at = u32(eocd + 16);
  bool found = false;
  for (uint32_t i = 0; i < count; ++i) {
    if (at + 46 > zip.size() || u32(at) != 0x02014b50) return "";
    const uint32_t name_len = u16(at + 28), extra_len = u16(at + 30), comment_len = u16(at + 32);
    const uint32_t local = u32(at + 42);
    if (zip.compare(at + 46, name_len, name) == 0 && name_len == name.size()) {
      if (local + 30 > zip.size() || u32(local) != 0x04034b50) return "";
      put32(at + 24, size);
      put32(local + 22, size);
      found = true;
    }
    at += 46 + name_len + extra_len + comment_len;
  }
  return found ? zip : "";
}

}  // namespace noj::testing
