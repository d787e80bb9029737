#include "cli/nojctl_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace noj::cli::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string NojctlBinary() { return NOJCTL_BINARY; }

NojctlProcess::NojctlProcess(std::vector<std::string> args, std::vector<std::string> env)
    : args_(std::move(args)), env_(std::move(env)) {}

NojctlProcess::~NojctlProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

bool NojctlProcess::Start() {
  char tmpl[] = "/tmp/nojctl-test-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return false;
  dir_ = tmpl;
  std::vector<std::string> argv_s = {NojctlBinary()};
  argv_s.insert(argv_s.end(), args_.begin(), args_.end());
  std::vector<std::string> env_s = {"PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"};
  env_s.insert(env_s.end(), env_.begin(), env_.end());
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, (dir_ + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&fa, 2, (dir_ + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) pid_ = -1;
  return rc == 0;
}

std::string NojctlProcess::ErrSoFar() const { return ReadAll(dir_ + "/err"); }

CliResult NojctlProcess::Wait(std::chrono::milliseconds timeout) {
  CliResult r;
  if (pid_ <= 0) return r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(dir_ + "/out");
  r.err = ReadAll(dir_ + "/err");
  return r;
}

CliResult RunNojctl(std::vector<std::string> args, std::vector<std::string> env) {
  NojctlProcess p(std::move(args), std::move(env));
  if (!p.Start()) return {};
  return p.Wait();
}

}  // namespace noj::cli::testing
