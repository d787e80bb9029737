#pragma once
// JailSandbox: the confinement itself. This process is the supervisor (a child subreaper,
// outside the box); it clones the box's init into new namespaces, which forks the program.
//
//   supervisor ──clone3──► init (PID 1: pid, mnt, ipc, uts, net ns) ──fork──► program
//
// Thread safety: none; the process must be single-threaded (it forks and changes its signal
// mask and net namespace). Create() checks that.

#include <memory>
#include <string>

#include "common/status.h"
#include "sandbox/sandbox.h"

namespace noj::sandbox::linux_impl {

class JailSandbox final : public Sandbox {
 public:
  // kFailedPrecondition when the calling process has more than one thread.
  static Result<std::unique_ptr<JailSandbox>> Create();

  RunResult Run(const RunRequest& request) override;
  Result<Protections> Probe(const RunRequest& request) override;

  // Probe() for the --probe command: also what is available when the tier is refused, and
  // why mechanisms are missing.
  struct ProbeDetails {
    Status status;          // as Probe()
    std::string available;  // protections line of the strongest tier, ignoring --require
    std::string notes;
  };
  ProbeDetails ProbeWithDetails(const RunRequest& request);

 private:
  JailSandbox() = default;
};

}  // namespace noj::sandbox::linux_impl
