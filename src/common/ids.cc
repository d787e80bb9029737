#include "common/ids.h"

#include <mutex>

#include "common/crypto.h"

namespace noj::ids {
namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool IsCrockford(char c) {
  for (const char* p = kCrockford; *p; ++p)
    if (*p == c) return true;
  return false;
}
}  // namespace

std::string Ulid(int64_t now_ms) {
  // Monotonic within this process: ids made in the same millisecond (or while the clock steps
  // back a little) continue from the last one + 1, so ids sort in creation order ("newest first"
  // lists).
  static std::mutex mu;
  static int64_t last_ms = 0;
  static uint64_t last_hi = 0, last_lo = 0;
  uint64_t hi = 0, lo = 0;
  {
    std::string rnd = crypto::RandomBytes(10);  // 80 bits = 40 + 40
    for (int i = 0; i < 5; ++i) hi = (hi << 8) | static_cast<unsigned char>(rnd[i]);
    for (int i = 5; i < 10; ++i) lo = (lo << 8) | static_cast<unsigned char>(rnd[i]);
    hi >>= 1;  // leave headroom so increments never overflow the 80 bits
    std::lock_guard lock(mu);
    if (now_ms <= last_ms && last_ms - now_ms < 10'000) {
      now_ms = last_ms;
      hi = last_hi;
      lo = last_lo + 1;
      if (lo >> 40) {
        lo &= (uint64_t{1} << 40) - 1;
        ++hi;
      }
    }
    last_ms = now_ms;
    last_hi = hi;
    last_lo = lo;
  }
  std::string out(26, '0');
  uint64_t t = static_cast<uint64_t>(now_ms) & ((uint64_t{1} << 48) - 1);
  for (int i = 9; i >= 0; --i) {
    out[i] = kCrockford[t & 31];
    t >>= 5;
  }
  for (int i = 17; i >= 10; --i) {
    out[i] = kCrockford[hi & 31];
    hi >>= 5;
  }
  for (int i = 25; i >= 18; --i) {
    out[i] = kCrockford[lo & 31];
    lo >>= 5;
  }
  return out;
}

std::string NewRunnerId(int64_t now_ms) { return "rn_" + Ulid(now_ms); }
std::string NewJobId(int64_t now_ms) { return "jb_" + Ulid(now_ms); }
std::string NewSubmissionId(int64_t now_ms) { return "sn_" + Ulid(now_ms); }
std::string NewRunnerToken() { return "rk_" + NewSecret(); }
std::string NewSecret() { return crypto::Base64UrlEncode(crypto::RandomBytes(32)); }

bool IsWellFormed(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 26 || id.substr(0, prefix.size()) != prefix) return false;
  for (char c : id.substr(prefix.size()))
    if (!IsCrockford(c)) return false;
  return true;
}

}  // namespace noj::ids
