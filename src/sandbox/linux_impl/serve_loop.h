#pragma once
// noj-sandbox --serve: the warm box's request loop (serve_frame.h is the wire, warm_box.h the
// box). Runs that a warm box does not take (an inherited pipe, a box dir that is not scratch)
// are run one-shot by the same helper. Ends on EOF, on SIGTERM/SIGINT/SIGHUP, on a frame it
// cannot read, or when a box could not be cleaned up (fail closed); always after tearing down
// what it prepared.

namespace noj::sandbox::linux_impl {

// Returns the helper's exit status: 0 after EOF or a termination signal, 2 otherwise.
int ServeWarmBox(int box_id);

}  // namespace noj::sandbox::linux_impl
