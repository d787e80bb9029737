#include "cli/progress_line.h"

namespace noj::cli {

void ProgressLine::Draw(const std::string& prefix, const std::string& text) {
  err_ << "\r\33[K" << prefix << text;
  err_.flush();
}

void ProgressLine::Update(const std::string& prefix, const std::string& state, int64_t elapsed_s) {
  if (!enabled_) return;
  bool changed = state != last_state_;
  if (changed) {
    history_ += (history_.empty() ? "" : " → ") + state;
    last_state_ = state;
  }
  if (terminal_) {
    Draw(prefix, history_ + " (" + std::to_string(elapsed_s) + "s)");
  } else if (changed) {
    err_ << prefix << state << '\n';
    err_.flush();
  }
}

void ProgressLine::Finish(const std::string& prefix, const std::string& state) {
  if (!enabled_) return;
  if (terminal_) {
    history_ += (history_.empty() ? "" : " → ") + state;
    Draw(prefix, history_);
    err_ << '\n';
  } else {
    err_ << prefix << state << '\n';
  }
  err_.flush();
}

}  // namespace noj::cli
