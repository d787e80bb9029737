#pragma once
// Sandbox: runs one command confined in a box and reports how it ended.
//
// Implementations:
//   linux_impl::JailSandbox — the confinement itself (supervisor -> init -> program). It forks,
//     so it must only be used from a single-threaded process: the noj-sandbox helper.
//   Multi-threaded callers (noj-runner) execute the noj-sandbox binary instead, building its
//   arguments with BuildCommandLine() and reading its line with ParseResultLine().

#include "sandbox/protections.h"
#include "sandbox/run_request.h"
#include "sandbox/run_result.h"

namespace noj::sandbox {

class Sandbox {
 public:
  Sandbox() = default;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  virtual ~Sandbox() = default;

  // Runs request.argv to completion under request.limits. Never fails as a call: problems of
  // the sandbox itself (missing protections, bad paths, kernel refusals) come back as
  // Verdict::kSe with `error` set. Every result carries the protections line.
  // Not thread-safe.
  virtual RunResult Run(const RunRequest& request) = 0;

  // The protections a run would get now; kFailedPrecondition when the host is too weak for
  // request.require / request.insecure (same rules as Run).
  virtual Result<Protections> Probe(const RunRequest& request) = 0;
};

}  // namespace noj::sandbox
