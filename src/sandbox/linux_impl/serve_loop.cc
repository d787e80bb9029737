#include "sandbox/linux_impl/serve_loop.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "sandbox/command_line.h"
#include "sandbox/linux_impl/jail_sandbox.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/linux_impl/warm_box.h"
#include "sandbox/serve_frame.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr int kExitError = 2;

void WriteLine(int fd, const std::string& line) {
  std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the caller is gone; EOF on stdin follows
    done += static_cast<size_t>(n);
  }
}

void Log(const std::string& what) { WriteLine(2, "noj-sandbox --serve: " + what); }

RunResult RunOne(const std::vector<std::string>& args, int box_id, WarmBox& warm,
                 JailSandbox& cold) {
  Result<CommandLine> cl = ParseCommandLine(args);
  if (!cl.ok()) return SandboxError(cl.status().message());
  if (cl->mode != Mode::kRun) return SandboxError("a request frame must describe a run");
  if (cl->request.box_id != box_id) {
    return SandboxError("this warm box serves box id " + std::to_string(box_id));
  }
  return WarmBox::Takes(cl->request) ? warm.Run(cl->request) : cold.Run(cl->request);
}

}  // namespace

int ServeWarmBox(int box_id) {
  Result<std::unique_ptr<JailSandbox>> cold = JailSandbox::Create();
  if (!cold.ok()) {
    Log(cold.status().message());
    return kExitError;
  }
  // For the whole helper: a termination signal ends the run in progress (SE) and the loop.
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
  UniqueFd signals(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  // A caller gone mid-run (a runner SIGKILLed) is an EPIPE on the result line, then EOF: the box
  // is torn down as usual. Blocked, not ignored: the program gets an empty mask and default
  // dispositions (an ignored SIGPIPE would survive its execve).
  sigaddset(&set, SIGPIPE);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  Result<std::unique_ptr<WarmBox>> warm = WarmBox::Create(box_id, signals.get());
  if (!warm.ok()) {
    Log(warm.status().message());
    return kExitError;
  }
  ServeFrameDecoder frames;
  int status = 0;
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    std::optional<Result<std::vector<std::string>>> frame = frames.Next();
    if (!frame) {
      pollfd fds[2] = {{0, POLLIN, 0}, {signals.get(), POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
      if (fds[1].revents & POLLIN) break;
      if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(0, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // EOF: the caller is done with this box
      frames.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
      continue;
    }
    if (!frame->ok()) {  // the stream cannot be resynchronised
      Log(frame->status().message());
      WriteLine(1, FormatResultLine(SandboxError(frame->status().message())));
      status = kExitError;
      break;
    }
    RunResult result = RunOne(**frame, box_id, **warm, **cold);
    if (result.verdict == Verdict::kSe) Log(result.error);
    WriteLine(1, FormatResultLine(result));
    if ((*warm)->interrupted()) break;
    if (Status after = (*warm)->AfterRun(); !after.ok()) {
      Log(after.message());
      status = kExitError;
      break;
    }
  }
  if (Status down = (*warm)->Shutdown(); !down.ok()) {
    Log(down.message());
    status = kExitError;
  }
  return status;
}

}  // namespace noj::sandbox::linux_impl
