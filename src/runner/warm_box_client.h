#pragma once
// WarmBoxClient: one `noj-sandbox --serve --box-id N` helper (docs/sandbox.md, "Warm boxes"),
// kept by SandboxProcessExecutor for a box id across runs and jobs. A run is one request frame
// written to the helper's stdin (sandbox/serve_frame.h) and its result line read back. The
// helper is spawned like every helper (posix_spawn, default signals, own process group); closing
// its stdin makes it tear its box down and exit.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "common/status.h"
#include "runner/owned_fd.h"
#include "sandbox/run_result.h"

namespace noj::runner {

class WarmBoxClient {
 public:
  // kInternal when the helper cannot be started.
  static Result<std::unique_ptr<WarmBoxClient>> Start(const std::filesystem::path& sandbox,
                                                      int box_id);
  WarmBoxClient(const WarmBoxClient&) = delete;
  WarmBoxClient& operator=(const WarmBoxClient&) = delete;
  // Closes the helper's stdin and waits for it (SIGKILL to its group after a grace).
  ~WarmBoxClient();

  // One run (`args`: sandbox::BuildCommandLine). The result line, or: kAborted when `stop` was
  // requested (the helper got SIGTERM, which ends the box's run), kUnavailable also at the
  // backstop, kUnavailable when the helper is gone or answered something else. After any error
  // the client is finished: drop it.
  Result<sandbox::RunResult> Run(const std::vector<std::string>& args,
                                 std::chrono::milliseconds backstop, std::stop_token stop);

  // False once the helper has exited (it does on its own only after a failure).
  bool Alive();

 private:
  WarmBoxClient(pid_t pid, OwnedFd to_helper, OwnedFd from_helper)
      : pid_(pid), to_helper_(std::move(to_helper)), from_helper_(std::move(from_helper)) {}
  Status WriteAll(const std::string& bytes);
  void Terminate();

  pid_t pid_ = -1;  // -1 once reaped
  OwnedFd to_helper_;
  OwnedFd from_helper_;
  std::string unread_;  // bytes after the last line read
};

}  // namespace noj::runner
