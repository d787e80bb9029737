#pragma once
// Runs a helper program (noj-sandbox) from the multi-threaded runner: posix_spawn (no code runs
// in the child before exec), stdin /dev/null, stdout captured through a pipe, stderr to a file,
// and the descriptors named in pass_fds (an interactive run's pipes) under their own numbers;
// every other descriptor of the runner is close-on-exec and stays behind.
// The child gets default signal dispositions, an empty signal mask and its own process group.
// A stop request (or the backstop timeout) sends SIGTERM, then SIGKILL to the group after a grace.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "common/status.h"
#include "runner/owned_fd.h"

namespace noj::runner {

struct ChildOptions {
  std::filesystem::path stderr_path;           // empty: inherit the runner's stderr
  size_t max_stdout_bytes = 64 * 1024;         // more is read and dropped
  std::chrono::milliseconds backstop{0};       // 0: none; else kill after this long
  std::chrono::milliseconds kill_grace{3000};  // SIGTERM → SIGKILL
  // Inherited by the child under the same numbers; each >= 3 (0..2 are its stdio). The caller
  // keeps its copies (and should close them once every child that needs them is started).
  std::vector<int> pass_fds;
};

struct ChildResult {
  int wait_status = 0;  // as from waitpid
  std::string stdout_text;
  bool stopped = false;    // killed because of the stop request
  bool timed_out = false;  // killed by the backstop
};

// A started child, supervised by Wait(). Destroyed without Wait(): its process group is killed
// and it is reaped, so an error path leaves nothing behind. Move-only; not thread-safe.
class ChildProcess {
 public:
  // argv[0] must be a path (no PATH search). kInternal when the program cannot be started,
  // kInvalidArgument for a pass_fds entry below 3.
  static Result<ChildProcess> Start(const std::vector<std::string>& argv, ChildOptions options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Until the child has exited: collects its stdout, ends it on `stop` or at the backstop
  // (counted from Start). Call once.
  ChildResult Wait(std::stop_token stop);

  pid_t pid() const { return pid_; }  // -1 once reaped

 private:
  ChildProcess(pid_t pid, OwnedFd stdout_read, OwnedFd stop_event, ChildOptions options);

  pid_t pid_ = -1;  // -1 once reaped (or moved from)
  OwnedFd stdout_read_;
  OwnedFd stop_event_;  // eventfd written by the stop callback: wakes the poll in Wait
  int64_t start_ms_ = 0;
  ChildOptions options_;
};

// Start + Wait.
Result<ChildResult> RunChild(const std::vector<std::string>& argv, const ChildOptions& options,
                             std::stop_token stop);

// "exited 3", "killed by signal 9".
std::string DescribeWaitStatus(int wait_status);

}  // namespace noj::runner
