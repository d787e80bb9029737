#include "runner/backoff.h"

#include <utility>

namespace noj::runner {

using std::chrono::milliseconds;
using std::chrono::seconds;

Backoff::Backoff(std::vector<milliseconds> delays, bool repeat_last)
    : delays_(std::move(delays)), repeat_last_(repeat_last) {}

std::optional<milliseconds> Backoff::Next() {
  if (delays_.empty()) return std::nullopt;
  if (next_ < delays_.size()) return delays_[next_++];
  if (!repeat_last_) return std::nullopt;
  ++next_;
  return delays_.back();
}

Backoff RegisterBackoff() {
  return Backoff({seconds(1), seconds(2), seconds(4), seconds(8), seconds(16), seconds(30)}, true);
}

Backoff SendBackoff() {
  return Backoff({seconds(1), seconds(2), seconds(4), seconds(8), seconds(16)}, false);
}

Backoff PrepBackoff() { return Backoff({seconds(1), seconds(2)}, false); }

}  // namespace noj::runner
