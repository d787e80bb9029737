// noj-runner on a host below the kernel floor: `noj-sandbox --probe` refuses (exit 2, the SE
// line, the reason on stderr) and the runner must refuse to start with that reason, verbatim,
// before it ever talks to the server. The sandbox is a fake (a shell script answering as the
// real one does below the floor), so this runs anywhere, without root.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "runner/runner_process.h"
#include "sandbox/run_result.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using namespace std::chrono_literals;

constexpr char kFloorError[] =
    "kernel floor not met (running 5.10.0): missing close_range (Linux 5.9+), Landlock scope "
    "(Linux 6.12+)";

// A loopback listener standing in for nojd: nothing is served, but a connection the runner made
// would wait in its backlog, so "nobody connected" is observable after the runner exited.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  bool AnyoneConnected() const {
    int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return false;
    ::close(c);
    return true;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The fake noj-sandbox: for --probe, what the real one prints below the floor; anything else
// leaves a mark (nothing may be run) and fails.
std::string WriteFakeSandbox(const noj::testing::TempDir& dir) {
  std::string path = dir.File("noj-sandbox");
  std::string se_line = sandbox::FormatResultLine(sandbox::SandboxError(kFloorError));
  std::ofstream out(path);
  out << "#!/bin/sh\n"
      << "if [ \"$1\" = --probe ]; then\n"
      << "  echo 'kernel: 5.10.0, floor Linux 6.12 not met, missing: close_range (Linux 5.9+), "
         "Landlock scope (Linux 6.12+)'\n"
      << "  echo 'noj-sandbox: " << kFloorError << "' >&2\n"
      << "  echo '" << se_line << "'\n"
      << "  exit 2\n"
      << "fi\n"
      << "touch '" << dir.File("ran") << "'\n"
      << "exit 2\n";
  out.close();
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(RunnerKernelFloor, RefusesToStartBeforeRegisteringAndSaysWhy) {
  if (std::string why = testing::MissingRunnerCompilers(); !why.empty()) GTEST_SKIP() << why;
  noj::testing::TempDir dir;
  SilentServer server;
  ASSERT_GT(server.port(), 0);
  std::string sandbox = WriteFakeSandbox(dir);
  testing::RunnerProcess runner(
      {NOJ_RUNNER_BINARY, "--server", "http://127.0.0.1:" + std::to_string(server.port()),
       "--registration-token", "floor-test", "--name", "floor", "--work-dir", dir.File("work"),
       "--cache-dir", dir.File("cache"), "--sandbox", sandbox},
      dir.File("runner.log"));
  ASSERT_TRUE(runner.started());
  int code = runner.Wait(60s);
  std::string log = runner.Log();  // the runner's stderr (and stdout)
  EXPECT_NE(code, 0) << log;
  EXPECT_NE(code, -1) << "still running: " << log;
  EXPECT_NE(log.find(kFloorError), std::string::npos) << log;
  EXPECT_NE(log.find("event=startup_failed"), std::string::npos) << log;
  EXPECT_FALSE(server.AnyoneConnected()) << "the runner reached the server: " << log;
  EXPECT_FALSE(std::filesystem::exists(dir.File("ran"))) << log;
}

}  // namespace
}  // namespace noj::runner
