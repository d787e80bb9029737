#pragma once
// A `noj-sandbox --serve` helper driven the way noj-runner drives it (WarmBoxClient): request
// frames on its stdin, one result line each on its stdout. Started inside the outer cgroup fence.

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/run_result.h"

namespace noj::sandbox::testing {

class WarmHelper {
 public:
  WarmHelper(const std::string& binary, int box_id, const std::vector<int>& join_fds);
  WarmHelper(const WarmHelper&) = delete;
  WarmHelper& operator=(const WarmHelper&) = delete;
  ~WarmHelper();  // Close()

  // Sends one frame of `args` (the one-shot command line) and reads its result line.
  Result<RunResult> Run(const std::vector<std::string>& args);
  // Sends raw bytes (malformed frames) and reads one line; "" at EOF.
  std::string SendRaw(const std::string& bytes);
  // Closes stdin and waits: the helper's exit status (as waitpid), -1 when it never started.
  int Close();
  pid_t pid() const { return pid_; }

 private:
  std::string ReadLine();

  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
  std::string unread_;
};

}  // namespace noj::sandbox::testing
