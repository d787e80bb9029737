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

extern char** environ;

namespace noj::runner {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// posix_spawn attributes and file actions, destroyed on scope exit.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

void Prepare(SpawnSetup& s, int stdout_fd, const std::filesystem::path& stderr_path) {
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&s.attr, &empty);
  posix_spawnattr_setsigdefault(&s.attr, &all);
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&s.actions, stdout_fd, 1);
  if (!stderr_path.empty())
    posix_spawn_file_actions_addopen(&s.actions, 2, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
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

Result<ChildResult> RunChild(const std::vector<std::string>& argv, const ChildOptions& options,
                             std::stop_token stop) {
  if (argv.empty()) return InvalidArgumentError("empty argv");
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return InternalError(std::string("pipe2: ") + strerror(errno));
  Fd out_r(p[0]), out_w(p[1]);
  Fd stop_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (stop_fd.get() < 0) return InternalError(std::string("eventfd: ") + strerror(errno));
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  SpawnSetup setup;
  Prepare(setup, out_w.get(), options.stderr_path);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attr, cargv.data(), environ);
  if (rc != 0) return InternalError("cannot start " + argv[0] + ": " + strerror(rc));
  out_w.Reset();
  int efd = stop_fd.get();
  std::stop_callback on_stop(stop, [efd] {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(efd, &one, sizeof one);
  });
  Watch w{.pid = pid, .start_ms = MonotonicMs()};
  ChildResult result;
  Supervise(w, out_r.get(), efd, options, result);
  return result;
}

std::string DescribeWaitStatus(int st) {
  if (WIFEXITED(st)) return "exited " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return "killed by signal " + std::to_string(WTERMSIG(st));
  return "status " + std::to_string(st);
}

}  // namespace noj::runner
