#pragma once
// Runs the noj-sandbox binary the way noj-runner does (fork + exec, stdout captured) and
// parses its result line.

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

// Executes `binary args...`; the child first writes "0" into every fd of `join_fds`
// (cgroup.procs files of an outer cgroup).
SandboxProcess RunSandboxProcess(const std::string& binary, const std::vector<std::string>& args,
                                 const std::vector<int>& join_fds);

}  // namespace noj::sandbox::testing
