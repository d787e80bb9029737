#include "sandbox/linux_impl/box_watch.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr int64_t kMs = 1000000;
// CPU polling: never sleep longer than this, and never shorter (near the limit).
constexpr int64_t kMaxPollNs = 100 * kMs;
constexpr int64_t kMinPollNs = 1 * kMs;

// Reads every complete record available.
void ReadReports(int fd, std::vector<BoxReport>& out) {
  BoxReport r;
  for (;;) {
    ssize_t n = ::read(fd, &r, sizeof r);
    if (n == static_cast<ssize_t>(sizeof r) && r.magic == BoxReport::kMagic) {
      out.push_back(r);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // EAGAIN, EOF, or garbage (the box cannot write here: O_CLOEXEC)
  }
}

}  // namespace

WatchOutcome WatchBox(const WatchConfig& c) {
  WatchOutcome out;
  int64_t cpu_next_ns = 0;  // when the CPU must be looked at again
  bool report_hung_up = false;
  for (;;) {
    int64_t now = MonotonicNowNs();
    if (out.killed == KillReason::kNone && !out.interrupted) {
      if (c.cpu_usage_us && now >= cpu_next_ns) {
        int64_t left_us = c.cpu_limit_us - c.cpu_usage_us();
        if (left_us <= 0) {
          out.killed = KillReason::kCpu;
          c.kill_box();
        }
        // The box cannot burn more than `cpus` CPU-seconds per second: sleep until it could
        // have reached the limit, within [1 ms, 100 ms].
        cpu_next_ns = now + std::clamp(left_us * 1000 / c.cpus, kMinPollNs, kMaxPollNs);
      }
      if (out.killed == KillReason::kNone && now - c.start_ns >= c.wall_limit_ns) {
        out.killed = KillReason::kWall;
        c.kill_box();
      }
    }
    int64_t wake = c.start_ns + c.wall_limit_ns;
    if (c.cpu_usage_us) wake = std::min(wake, cpu_next_ns);
    // Once killed, only wait for the init to go (it does within milliseconds).
    if (out.killed != KillReason::kNone || out.interrupted) wake = now + 100 * kMs;
    int timeout_ms = static_cast<int>(std::max<int64_t>(0, (wake - now + kMs - 1) / kMs));
    // Reports are not polled for: every one is followed by the init's exit, and each extra
    // wake-up costs milliseconds on a loaded host. The pipe holds them (64 bytes each).
    pollfd fds[3] = {{c.pidfd, POLLIN, 0}, {c.signal_fd, POLLIN, 0}, {c.report_fd, POLLIN, 0}};
    if (c.signal_fd < 0) fds[1].fd = -1;  // poll ignores negative fds
    if (!c.end_on_report || report_hung_up) fds[2].fd = -1;
    int ready = ::poll(fds, 3, timeout_ms);
    if (ready < 0 && errno != EINTR) break;  // cannot happen with valid fds
    if (c.signal_fd >= 0 && (fds[1].revents & POLLIN)) {
      signalfd_siginfo info;
      ssize_t n = ::read(c.signal_fd, &info, sizeof info);  // consume it, or poll spins
      (void)n;
      if (!out.interrupted) {
        out.interrupted = true;
        c.kill_box();
      }
    }
    if (fds[0].revents & POLLIN) break;
    if (fds[2].revents & (POLLIN | POLLHUP)) {
      ReadReports(c.report_fd, out.reports);
      if (!out.reports.empty()) break;  // kFinished or kSetupFailed: either ends the run
      if (fds[2].revents & POLLHUP) report_hung_up = true;  // the init is gone: pidfd follows
    }
  }
  out.end_ns = MonotonicNowNs();
  ReadReports(c.report_fd, out.reports);
  return out;
}

}  // namespace noj::sandbox::linux_impl
