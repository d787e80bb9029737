#include "runner/warm_box_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "common/clock.h"
#include "runner/spawn_setup.h"
#include "sandbox/serve_frame.h"

extern char** environ;

namespace noj::runner {
namespace {

constexpr int64_t kExitGraceMs = 5000;
constexpr size_t kMaxLineBytes = 1 << 20;

// Waits up to `ms` for `pid` to exit; true once reaped.
bool ReapWithin(pid_t pid, int64_t ms) {
  int64_t deadline = MonotonicMs() + ms;
  for (;;) {
    pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (MonotonicMs() >= deadline) return false;
    ::usleep(2000);
  }
}

}  // namespace

Result<std::unique_ptr<WarmBoxClient>> WarmBoxClient::Start(const std::filesystem::path& sandbox,
                                                            int box_id) {
  NOJ_ASSIGN_OR_RETURN(Pipe in, MakePipe());   // runner → helper's stdin
  NOJ_ASSIGN_OR_RETURN(Pipe out, MakePipe());  // helper's stdout → runner
  SpawnSetup s;
  s.DefaultSignalsOwnGroup();
  posix_spawn_file_actions_adddup2(&s.actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&s.actions, out.write.get(), 1);
  std::vector<std::string> argv = {sandbox.string(), "--serve", "--box-id", std::to_string(box_id)};
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &s.actions, &s.attr, cargv.data(), environ);
  if (rc != 0) return InternalError("cannot start " + argv[0] + " --serve: " + std::strerror(rc));
  return std::unique_ptr<WarmBoxClient>(
      new WarmBoxClient(pid, std::move(in.write), std::move(out.read)));
}

WarmBoxClient::~WarmBoxClient() {
  if (pid_ < 0) return;
  to_helper_.Reset();  // EOF: the helper tears its box down and exits
  if (ReapWithin(pid_, kExitGraceMs)) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  ReapWithin(pid_, kExitGraceMs);
}

bool WarmBoxClient::Alive() {
  if (pid_ < 0) return false;
  if (::waitpid(pid_, nullptr, WNOHANG) == 0) return true;
  pid_ = -1;
  return false;
}

Status WarmBoxClient::WriteAll(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    // MSG_NOSIGNAL is for sockets; the runner ignores SIGPIPE, so a dead helper is EPIPE.
    ssize_t n = ::write(to_helper_.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return UnavailableError(std::string("writing to noj-sandbox --serve: ") +
                              std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

void WarmBoxClient::Terminate() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGTERM);  // the helper ends the box's run (SE) and exits
  if (!ReapWithin(pid_, kExitGraceMs)) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ReapWithin(pid_, kExitGraceMs);
  }
  pid_ = -1;
}

Result<sandbox::RunResult> WarmBoxClient::Run(const std::vector<std::string>& args,
                                              std::chrono::milliseconds backstop,
                                              std::stop_token stop) {
  if (!Alive()) return UnavailableError("noj-sandbox --serve has exited");
  NOJ_RETURN_IF_ERROR(WriteAll(sandbox::EncodeServeFrame(args)));
  OwnedFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) return InternalError("eventfd: " + std::string(std::strerror(errno)));
  std::stop_callback on_stop(stop, [fd = wake.get()] {
    uint64_t one = 1;
    ssize_t n = ::write(fd, &one, sizeof one);
    (void)n;
  });
  const int64_t deadline = MonotonicMs() + backstop.count();
  for (;;) {
    size_t nl = unread_.find('\n');
    if (nl != std::string::npos) {
      std::string line = unread_.substr(0, nl);
      unread_.erase(0, nl + 1);
      auto parsed = sandbox::ParseResultLine(line);
      if (!parsed.ok()) {
        Terminate();
        return UnavailableError("noj-sandbox --serve answered: " + line.substr(0, 200));
      }
      return std::move(parsed).value();
    }
    if (unread_.size() > kMaxLineBytes) {
      Terminate();
      return UnavailableError("noj-sandbox --serve answered an overlong line");
    }
    if (stop.stop_requested()) {
      Terminate();
      return AbortedError("cancelled");
    }
    int64_t left = deadline - MonotonicMs();
    if (left <= 0) {
      Terminate();
      return UnavailableError("noj-sandbox --serve did not answer in time");
    }
    pollfd fds[2] = {{from_helper_.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}};
    int ready = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (ready < 0 && errno != EINTR)
      return InternalError("poll: " + std::string(std::strerror(errno)));
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buf[4096];
    ssize_t n = ::read(from_helper_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Terminate();
      return UnavailableError("noj-sandbox --serve ended without a result line");
    }
    unread_.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace noj::runner
