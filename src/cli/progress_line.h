#pragma once
// The live progress line of `--wait` on stderr: redrawn in place on a terminal (with the seconds
// waited), one line per state change otherwise (logs and pipes stay readable).

#include <cstdint>
#include <ostream>
#include <string>

namespace noj::cli {

class ProgressLine {
 public:
  // Nothing is printed when `enabled` is false (--json).
  ProgressLine(std::ostream& err, bool terminal, bool enabled)
      : err_(err), terminal_(terminal), enabled_(enabled) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `state` is the current step ("queued", "judging on runner X"); steps are joined with " → ".
  void Update(const std::string& prefix, const std::string& state, int64_t elapsed_s);
  // The last step; ends the line.
  void Finish(const std::string& prefix, const std::string& state);

 private:
  void Draw(const std::string& prefix, const std::string& text);

  std::ostream& err_;
  const bool terminal_;
  const bool enabled_;
  std::string history_;  // steps so far, " → " joined
  std::string last_state_;
};

}  // namespace noj::cli
