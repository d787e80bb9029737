#pragma once
// BoxSession: everything one run holds, prepared by the supervisor before it clones the box
// (so the box's processes only make raw syscalls on ready data), released by RAII after.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/box_cgroups.h"
#include "sandbox/linux_impl/box_files.h"
#include "sandbox/linux_impl/box_init.h"
#include "sandbox/linux_impl/exec_args.h"
#include "sandbox/linux_impl/host_probe.h"
#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/seccomp_filter.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/protections.h"
#include "sandbox/run_request.h"
#include "sandbox/tier.h"

namespace noj::sandbox::linux_impl {

struct BoxSession {
  ProbeFacts facts;
  Protections protections;
  std::string protections_text;  // also set when the tier was refused: what is available
  std::string notes;             // why mechanisms are missing

  std::unique_ptr<BoxCgroups> cgroups;
  std::optional<SeccompProgram> seccomp;
  UniqueFd landlock;
  BoxFiles files;
  UniqueFd box_scratch;                  // kScratch: the /box tmpfs (scratch_fs.h)
  UniqueFd tmp_scratch;                  // the /tmp tmpfs
  std::vector<std::string> box_entries;  // kScratch: bound read-only into /box
  std::optional<MountPlan> mounts;
  std::unique_ptr<CStringArray> argv;
  std::unique_ptr<CStringArray> envp;
  UniqueFd report_read;  // O_NONBLOCK
  UniqueFd report_write;
  UniqueFd lifeline_read;
  UniqueFd lifeline_write;
  std::unique_ptr<char[]> program_stack;  // uninitialised: untouched pages cost nothing
  InitPlan init_plan;
};

// Probes (creating the box cgroups, building the seccomp program...) and selects the tier.
// Fills session.facts/protections/protections_text even when it then refuses.
// `cgroup_instance`: see BoxCgroupSpec::instance.
Status ProbeBox(const RunRequest& request, const HostProbe& host, BoxSession& session,
                const std::string& cgroup_instance = "");

// The scratch tmpfs instances: /tmp always, /box (and the box dir's entry list) in scratch
// mode. REQUIRES: session.files is open.
Status MakeScratches(const RunRequest& request, BoxSession& session);

// REQUIRES: ProbeBox succeeded. Opens files, builds the mount plan, argv, rlimits, pipes and
// the init plan.
Status PrepareBox(const RunRequest& request, BoxSession& session);

}  // namespace noj::sandbox::linux_impl
