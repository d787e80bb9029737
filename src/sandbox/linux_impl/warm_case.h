#pragma once
// One run of a warm box (warm_box.h), as its case init (warm_init.h) receives it: the plan
// written into the shared arena, then the go message carrying the run's descriptors.

#include "common/status.h"
#include "sandbox/linux_impl/box_session.h"
#include "sandbox/linux_impl/shared_arena.h"
#include "sandbox/linux_impl/warm_init.h"
#include "sandbox/run_request.h"

namespace noj::sandbox::linux_impl {

// Rewrites `arena` with the run's plan and points `out` (in the header arena) at it: attach
// /tmp, /box and the box dir's copy, bind each entry of the box dir read-only into /box (as a
// one-shot scratch box does, mount_plan.cc AddBox), detach the copy; then the program as
// box_session.cc's FillProgramPlan, argv and env copied in. REQUIRES: the session's files and
// scratch filesystems are open. `report_write_fd`: the report pipe's number in the init.
Status WriteWarmCase(const RunRequest& r, const BoxSession& s, int report_write_fd,
                     SharedArena& arena, WarmCase& out);

// The go message on `go_fd`: one byte and the six descriptors in GoFd order.
Status SendGo(int go_fd, const BoxSession& s, int box_source_fd);

}  // namespace noj::sandbox::linux_impl
