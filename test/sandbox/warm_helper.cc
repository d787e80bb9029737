#include "warm_helper.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/serve_frame.h"

namespace noj::sandbox::testing {

WarmHelper::WarmHelper(const std::string& binary, int box_id, const std::vector<int>& join_fds) {
  ::signal(SIGPIPE, SIG_IGN);  // a helper that died is an EPIPE to report, not our death
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return;
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return;
  }
  std::vector<std::string> storage = {binary, "--serve", "--box-id", std::to_string(box_id)};
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    for (int fd : join_fds) {
      if (::write(fd, "0", 1) != 1) ::_exit(120);
    }
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::execv(binary.c_str(), argv.data());
    ::_exit(121);
  }
  ::close(in[0]);
  ::close(out[1]);
  pid_ = pid;
  to_ = in[1];
  from_ = out[0];
}

WarmHelper::~WarmHelper() { Close(); }

std::string WarmHelper::ReadLine() {
  for (;;) {
    size_t nl = unread_.find('\n');
    if (nl != std::string::npos) {
      std::string line = unread_.substr(0, nl);
      unread_.erase(0, nl + 1);
      return line;
    }
    char buf[4096];
    ssize_t n = ::read(from_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "";
    unread_.append(buf, static_cast<size_t>(n));
  }
}

std::string WarmHelper::SendRaw(const std::string& bytes) {
  if (pid_ < 0) return "";
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(to_, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return "";
    done += static_cast<size_t>(n);
  }
  return ReadLine();
}

Result<RunResult> WarmHelper::Run(const std::vector<std::string>& args) {
  std::string line = SendRaw(EncodeServeFrame(args));
  if (line.empty()) return Status(ErrorCode::kUnavailable, "the warm helper ended");
  return ParseResultLine(line);
}

int WarmHelper::Close() {
  if (pid_ < 0) return -1;
  ::close(to_);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(from_);
  pid_ = -1;
  return status;
}

}  // namespace noj::sandbox::testing
