#include "sandbox_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace noj::sandbox::testing {

StartedProcess StartSandboxProcess(const std::string& binary, const std::vector<std::string>& args,
                                   const std::vector<int>& join_fds) {
  StartedProcess started;
  std::vector<std::string> storage = {binary};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return started;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return started;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    for (int fd : join_fds) {
      if (::write(fd, "0", 1) != 1) ::_exit(120);
    }
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(121);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  started.pid = pid;
  started.stdout_fd = out_pipe[0];
  started.stderr_fd = err_pipe[0];
  return started;
}

SandboxProcess FinishSandboxProcess(StartedProcess started) {
  SandboxProcess out;
  if (started.pid < 0) {
    out.result = Status(ErrorCode::kInternal, "could not start noj-sandbox");
    return out;
  }
  pollfd fds[2] = {{started.stdout_fd, POLLIN, 0}, {started.stderr_fd, POLLIN, 0}};
  int open_count = 2;
  char buf[4096];
  while (open_count > 0 && ::poll(fds, 2, -1) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      (i == 0 ? out.stdout_text : out.stderr_text).append(buf, static_cast<size_t>(n));
    }
  }
  int status = 0;
  ::waitpid(started.pid, &status, 0);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // The result is the last line.
  std::string text = out.stdout_text;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t nl = text.rfind('\n');
  out.result = ParseResultLine(nl == std::string::npos ? text : text.substr(nl + 1));
  return out;
}

SandboxProcess RunSandboxProcess(const std::string& binary, const std::vector<std::string>& args,
                                 const std::vector<int>& join_fds) {
  return FinishSandboxProcess(StartSandboxProcess(binary, args, join_fds));
}

}  // namespace noj::sandbox::testing
