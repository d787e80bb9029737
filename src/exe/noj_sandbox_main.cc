// noj-sandbox: runs one command confined in a box and prints exactly one JSON result line
// on stdout (see src/sandbox/command_line.h and docs/sandbox.md). Exit status 0 when the
// program got a verdict (OK/TLE/MLE/OLE/RE), 2 on SE (sandbox error, "error" says why).

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sandbox/command_line.h"
#include "sandbox/linux_impl/box_cgroups.h"
#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/jail_sandbox.h"
#include "sandbox/linux_impl/kernel_floor.h"
#include "sandbox/linux_impl/legacy_netns.h"
#include "sandbox/linux_impl/serve_loop.h"
#include "sandbox/run_result.h"

namespace {

using noj::sandbox::RunResult;
using noj::sandbox::linux_impl::JailSandbox;

constexpr int kExitSandboxError = 2;

// One write: the runner reads a single line, never interleaved with anything else.
void PrintLine(FILE* stream, const std::string& line) {
  std::string out = line + "\n";
  fwrite(out.data(), 1, out.size(), stream);
  fflush(stream);
}

int Fail(const std::string& error, const std::string& protections = "") {
  PrintLine(stderr, "noj-sandbox: " + error);
  PrintLine(stdout, noj::sandbox::FormatResultLine(noj::sandbox::SandboxError(error, protections)));
  return kExitSandboxError;
}

// --probe: first the kernel floor (each feature the box uses, docs/sandbox.md "Kernel floor"):
// below it, one SE naming every missing feature rather than a failure per job. Then the tier
// this host gives, verified by running /usr/bin/true the way noj-runner runs everything: in a
// scratch box.
int Probe(JailSandbox& sandbox, noj::sandbox::RunRequest request) {
  noj::sandbox::linux_impl::FloorAnswers floor = noj::sandbox::linux_impl::ProbeKernelFloor();
  PrintLine(stdout, noj::sandbox::linux_impl::KernelFloorLine(floor));
  if (noj::Status met = noj::sandbox::linux_impl::CheckKernelFloor(floor); !met.ok())
    return Fail(met.message());
  JailSandbox::ProbeDetails d = sandbox.ProbeWithDetails(request);
  PrintLine(stdout, "protections: " + d.available);
  if (!d.notes.empty()) PrintLine(stderr, "noj-sandbox: notes: " + d.notes);
  if (!d.status.ok()) return Fail(d.status.message(), d.available);
  char dir[] = "/tmp/noj-sandbox-probe-XXXXXX";
  if (mkdtemp(dir) == nullptr) return Fail("mkdtemp for the trial box failed");
  request.box_dir = dir;
  request.box_mode = noj::sandbox::BoxMode::kScratch;
  request.box_id = noj::sandbox::kMaxBoxId;
  request.argv = {"/usr/bin/true"};
  request.limits.cpu_ms = 5000;
  RunResult trial = sandbox.Run(request);
  rmdir(dir);
  if (trial.verdict != noj::sandbox::Verdict::kOk) {
    return Fail("trial run of /usr/bin/true failed: " + noj::sandbox::FormatResultLine(trial),
                d.available);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  noj::Result<noj::sandbox::CommandLine> cl = noj::sandbox::ParseCommandLine(args);
  if (!cl.ok()) return Fail(cl.status().message());
  if (cl->mode == noj::sandbox::Mode::kHelp) {
    PrintLine(stdout, cl->help_text);
    return 0;
  }
  if (cl->mode == noj::sandbox::Mode::kCleanup) {
    namespace impl = noj::sandbox::linux_impl;
    if (noj::Result<impl::CgroupLayout> layout = impl::DiscoverCgroupLayout(); layout.ok()) {
      impl::SweepStaleBoxCgroups(*layout, cl->request.cgroup_parent);
    }
    noj::Status removed = impl::RemoveSharedNetns();
    if (!removed.ok()) {
      PrintLine(stderr, "noj-sandbox: " + removed.message());
      return kExitSandboxError;
    }
    return 0;
  }
  if (cl->mode == noj::sandbox::Mode::kServe) {
    return noj::sandbox::linux_impl::ServeWarmBox(cl->request.box_id);
  }
  noj::Result<std::unique_ptr<JailSandbox>> sandbox = JailSandbox::Create();
  if (!sandbox.ok()) return Fail(sandbox.status().message());
  if (cl->mode == noj::sandbox::Mode::kProbe) return Probe(**sandbox, cl->request);

  RunResult result = (*sandbox)->Run(cl->request);
  if (result.verdict == noj::sandbox::Verdict::kSe)
    PrintLine(stderr, "noj-sandbox: " + result.error);
  PrintLine(stdout, noj::sandbox::FormatResultLine(result));
  return result.verdict == noj::sandbox::Verdict::kSe ? kExitSandboxError : 0;
}
