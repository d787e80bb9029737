#pragma once
// WarmBox: the box of one box id kept warm between runs (noj-sandbox --serve). What a one-shot
// run sets up and tears down on its critical path is done here once, or ahead of the run:
//
//   once per helper    the host probe, the shared arena, the warm root (warm_root.h: the
//                      box's read-only filesystem, built and pivoted once per set of --ro-bind)
//   ahead of each run  fresh box cgroups and a case init cloned into them with fresh pid, net,
//                      ipc and uts namespaces, in its own copy of the warm root with its own
//                      /proc, waiting (warm_init.h) — prepared right after the previous run's
//                      result went out, while the caller works on it
//   per run            the stdio files, fresh scratch /tmp and /box (the box dir's entries bound
//                      read-only), the plan in the arena, the go message; then the program runs
//                      and is watched exactly as in a one-shot run
//   after the result   the case init's exit (its namespaces go with it), the check that its
//                      cgroups are empty, their removal; then the next box is prepared
//
// So every run still starts from nothing another run touched: the only things two runs share
// are the read-only root (which nothing mounts on after it was built) and the helper process.
// The run's result is answered as soon as the case init reports that it killed and reaped
// everything else in its pid namespace; its own exit is waited for before the next run starts.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/box_launcher.h"
#include "sandbox/linux_impl/box_session.h"
#include "sandbox/linux_impl/host_probe.h"
#include "sandbox/linux_impl/shared_arena.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/linux_impl/warm_init.h"
#include "sandbox/run_request.h"
#include "sandbox/run_result.h"

namespace noj::sandbox::linux_impl {

class WarmBox {
 public:
  // REQUIRES: JailSandbox::Create() succeeded in this (single-threaded) process. `signal_fd`:
  // the helper's signalfd for SIGTERM/SIGINT/SIGHUP, which end a run as SE.
  static Result<std::unique_ptr<WarmBox>> Create(int box_id, int signal_fd);
  WarmBox(const WarmBox&) = delete;
  WarmBox& operator=(const WarmBox&) = delete;
  ~WarmBox();

  // Runs in a scratch box with stdio from files (no inherited pipes) are taken warm.
  static bool Takes(const RunRequest& request);

  // One run. REQUIRES: Takes(request) and request.box_id is this box's id.
  RunResult Run(const RunRequest& request);

  // After the result went out: finishes the last run's box and prepares the next one like it.
  // An error means a box could not be cleaned up: the caller must stop serving (fail closed).
  Status AfterRun();

  // Tears down whatever is prepared or pending. The first error wins.
  Status Shutdown();

  // The last run ended because the helper got SIGTERM/SIGINT/SIGHUP: stop serving.
  bool interrupted() const { return interrupted_; }

 private:
  struct Box {
    BoxSession s;
    InitHandle init;
    UniqueFd go;               // our end; closed unused, it tells the init to exit
    int report_write_fd = -1;  // its number in the init (ours is closed)
    std::string key;
    bool started = false;
  };

  WarmBox(int box_id, int signal_fd, SharedArena header, SharedArena arena);
  static std::string KeyOf(const RunRequest& r);
  Result<int> RootFor(const RunRequest& r);
  // On failure nothing was launched; box.s.protections_text says what is available.
  Status Prepare(const RunRequest& r, Box& box);
  RunResult Go(const RunRequest& r, Box& box, int64_t start_ns);
  Status Finish(std::unique_ptr<Box> box);
  Status FinishPending();

  const int box_id_;
  const int signal_fd_;
  const HostProbe host_;
  SharedArena header_;  // holds case_ for the lifetime of the helper
  SharedArena arena_;   // one run's plan, rewritten per run
  WarmCase* case_ = nullptr;
  std::map<std::string, UniqueFd> roots_;  // by --ro-bind list
  std::unique_ptr<Box> prepared_;
  std::vector<std::unique_ptr<Box>> pending_;  // ran; their inits still to be waited for
  std::optional<RunRequest> last_;
  bool interrupted_ = false;
  uint64_t instances_ = 0;  // names each prepared box's cgroups apart from any earlier set's
  Status broken_;           // a box could not be cleaned up: serve nothing more
};

}  // namespace noj::sandbox::linux_impl
