#include "integration/nojd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace noj::testing {

std::string NojdBinary() { return NOJD_BINARY; }

NojdProcess::NojdProcess(std::string data_dir, std::vector<std::string> extra_flags)
    : data_dir_(std::move(data_dir)), extra_flags_(std::move(extra_flags)) {}

NojdProcess::~NojdProcess() { Stop(); }

bool NojdProcess::Start(std::string* error) {
  // Keep the port across restarts so clients can reconnect to the same address.
  std::string listen = "127.0.0.1:" + std::to_string(port_);
  std::vector<std::string> args = {NojdBinary(), "--listen", listen, "--data-dir", data_dir_};
  if (std::find(extra_flags_.begin(), extra_flags_.end(), "--log-level") == extra_flags_.end()) {
    args.push_back("--log-level");
    args.push_back(log_level_);
  }
  for (const auto& f : extra_flags_) args.push_back(f);
  // Everything the child needs is made before fork: the test process may have other threads.
  std::string log_path = data_dir_ + "/nojd.log";
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return false;
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test leaves no nojd behind
    dup2(out[1], 1);
    // The log goes to a file in the data dir, so tests can read what nojd logged.
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log >= 0) dup2(log, 2);
    close(out[0]);
    close(out[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[512];
  bool ok = false;
  while (fgets(line, sizeof line, f) != nullptr) {
    int port = 0;
    if (std::sscanf(line, "nojd listening on http://127.0.0.1:%d", &port) == 1) {
      port_ = port;
      ok = true;
      break;
    }
  }
  // Leave the pipe's read end open in a detached reader so nojd never gets SIGPIPE on stdout.
  std::thread([f] {
    char buf[512];
    while (fgets(buf, sizeof buf, f) != nullptr) {
    }
    fclose(f);
  }).detach();
  if (!ok) {
    if (error) *error = "nojd did not start: " + Log();
    Kill();
  }
  return ok;
}

int NojdProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return -1;
}

void NojdProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string NojdProcess::Secret(const char* key) const {
  std::ifstream in(data_dir_ + "/secrets.json");
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return "";
  auto* s = v.as_object().if_contains(key);
  return s && s->is_string() ? std::string(s->as_string()) : "";
}

std::string NojdProcess::Log() const {
  std::ifstream in(data_dir_ + "/nojd.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string NojdProcess::api_token() const { return Secret("api_token"); }
std::string NojdProcess::registration_token() const { return Secret("registration_token"); }

}  // namespace noj::testing
