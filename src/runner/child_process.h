#pragma once
// Runs a helper program (noj-sandbox) from the multi-threaded runner: posix_spawn (no code runs
// in the child before exec), stdin /dev/null, stdout captured through a pipe, stderr to a file.
// The child gets default signal dispositions, an empty signal mask and its own process group.
// A stop request (or the backstop timeout) sends SIGTERM, then SIGKILL to the group after a grace.

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::runner {

struct ChildOptions {
  std::filesystem::path stderr_path;           // empty: inherit the runner's stderr
  size_t max_stdout_bytes = 64 * 1024;         // more is read and dropped
  std::chrono::milliseconds backstop{0};       // 0: none; else kill after this long
  std::chrono::milliseconds kill_grace{3000};  // SIGTERM → SIGKILL
};

struct ChildResult {
  int wait_status = 0;  // as from waitpid
  std::string stdout_text;
  bool stopped = false;    // killed because of the stop request
  bool timed_out = false;  // killed by the backstop
};

// argv[0] must be a path (no PATH search). kInternal when the program cannot be started.
Result<ChildResult> RunChild(const std::vector<std::string>& argv, const ChildOptions& options,
                             std::stop_token stop);

// "exited 3", "killed by signal 9".
std::string DescribeWaitStatus(int wait_status);

}  // namespace noj::runner
