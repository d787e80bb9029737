#include "runner/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/clock.h"
#include "runner/owned_fd.h"
#include "runner/spawn_setup.h"

extern char** environ;

namespace noj::runner {
namespace {

void Prepare(SpawnSetup& s, int stdout_fd, const ChildOptions& o) {
  s.DefaultSignalsOwnGroup();
  posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&s.actions, stdout_fd, 1);
  if (!o.stderr_path.empty())
    posix_spawn_file_actions_addopen(&s.actions, 2, o.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // dup2 onto itself clears close-on-exec in the child only (POSIX, glibc >= 2.29): no window
  // in which another thread's spawn could inherit the descriptor.
  for (int fd : o.pass_fds) posix_spawn_file_actions_adddup2(&s.actions, fd, fd);
}

// The supervision loop state of one child.
struct Watch {
  pid_t pid;
  int64_t start_ms;
  int64_t term_at_ms = -1;  // when SIGTERM was sent
  bool killed = false;

  void Terminate() {
    if (term_at_ms >= 0) return;
    ::kill(pid, SIGTERM);
    term_at_ms = MonotonicMs();
  }
  void MaybeKill(const ChildOptions& o) {
    if (term_at_ms < 0 || killed || MonotonicMs() - term_at_ms < o.kill_grace.count()) return;
    ::kill(-pid, SIGKILL);  // the whole process group, then the leader (if it left the group)
    ::kill(pid, SIGKILL);
    killed = true;
  }
};

void ReadSome(int fd, ChildResult& out, size_t cap, bool& open) {
  char buf[8192];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    open = false;
    return;
  }
  size_t keep = std::min(static_cast<size_t>(n), cap - std::min(cap, out.stdout_text.size()));
  out.stdout_text.append(buf, keep);
}

void Supervise(Watch& w, int out_fd, int stop_fd, const ChildOptions& o, ChildResult& r) {
  bool open = true;
  for (;;) {
    pollfd fds[2] = {{stop_fd, POLLIN, 0}, {out_fd, POLLIN, 0}};
    ::poll(fds, open ? 2 : 1, open ? 100 : 10);
    if (fds[0].revents & POLLIN) {
      uint64_t drained;
      [[maybe_unused]] ssize_t n = ::read(stop_fd, &drained, sizeof drained);
      r.stopped = true;
      w.Terminate();
    }
    if (open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
      ReadSome(out_fd, r, o.max_stdout_bytes, open);
    if (o.backstop.count() > 0 && MonotonicMs() - w.start_ms > o.backstop.count() &&
        w.term_at_ms < 0) {
      r.timed_out = true;
      w.Terminate();
    }
    w.MaybeKill(o);
    if (!open && ::waitpid(w.pid, &r.wait_status, WNOHANG) == w.pid) return;
  }
}

}  // namespace

Result<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv,
                                         ChildOptions options) {
  if (argv.empty()) return InvalidArgumentError("empty argv");
  for (int fd : options.pass_fds)
    if (fd < 3) return InvalidArgumentError("pass_fds wants descriptors >= 3");
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return InternalError(std::string("pipe2: ") + strerror(errno));
  OwnedFd out_r(p[0]), out_w(p[1]);
  OwnedFd stop_event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (stop_event.get() < 0) return InternalError(std::string("eventfd: ") + strerror(errno));
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  SpawnSetup setup;
  Prepare(setup, out_w.get(), options);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attr, cargv.data(), environ);
  if (rc != 0) return InternalError("cannot start " + argv[0] + ": " + strerror(rc));
  return ChildProcess(pid, std::move(out_r), std::move(stop_event), std::move(options));
}

ChildProcess::ChildProcess(pid_t pid, OwnedFd stdout_read, OwnedFd stop_event, ChildOptions options)
    : pid_(pid),
      stdout_read_(std::move(stdout_read)),
      stop_event_(std::move(stop_event)),
      start_ms_(MonotonicMs()),
      options_(std::move(options)) {}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      stdout_read_(std::move(o.stdout_read_)),
      stop_event_(std::move(o.stop_event_)),
      start_ms_(o.start_ms_),
      options_(std::move(o.options_)) {}

ChildProcess::~ChildProcess() {
  if (pid_ < 0) return;
  // Never waited for (an error path of the caller): ended like a stop request, so a sandbox
  // helper still tears its box down.
  std::stop_source stop;
  stop.request_stop();
  Wait(stop.get_token());
}

ChildResult ChildProcess::Wait(std::stop_token stop) {
  ChildResult result;
  if (pid_ < 0) return result;
  int efd = stop_event_.get();
  std::stop_callback on_stop(stop, [efd] {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(efd, &one, sizeof one);
  });
  Watch w{.pid = pid_, .start_ms = start_ms_};
  Supervise(w, stdout_read_.get(), efd, options_, result);
  pid_ = -1;  // reaped
  return result;
}

Result<ChildResult> RunChild(const std::vector<std::string>& argv, const ChildOptions& options,
                             std::stop_token stop) {
  NOJ_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Start(argv, options));
  return child.Wait(stop);
}

std::string DescribeWaitStatus(int st) {
  if (WIFEXITED(st)) return "exited " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return "killed by signal " + std::to_string(WTERMSIG(st));
  return "status " + std::to_string(st);
}

}  // namespace noj::runner
