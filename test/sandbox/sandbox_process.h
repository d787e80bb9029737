#pragma once
// Runs the noj-sandbox binary the way noj-runner does (fork + exec, stdout captured) and
// parses its result line.

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/run_result.h"

namespace noj::sandbox::testing {

struct SandboxProcess {
  int exit_code = -1;  // of noj-sandbox itself
  std::string stdout_text;
  std::string stderr_text;
  Result<RunResult> result = Status(ErrorCode::kNotFound, "no result line");
};

// A started noj-sandbox whose output is still to be collected.
struct StartedProcess {
  pid_t pid = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// Starts `binary args...`; the child first writes "0" into every fd of `join_fds`
// (cgroup.procs files of an outer cgroup).
StartedProcess StartSandboxProcess(const std::string& binary, const std::vector<std::string>& args,
                                   const std::vector<int>& join_fds);
// Reads its output to the end, waits for it, parses the result line.
SandboxProcess FinishSandboxProcess(StartedProcess started);

SandboxProcess RunSandboxProcess(const std::string& binary, const std::vector<std::string>& args,
                                 const std::vector<int>& join_fds);

}  // namespace noj::sandbox::testing
