#pragma once
// Runs a real nojd on a free loopback port with its own data dir, for black-box HTTP tests.
// The process is stopped (SIGTERM, then SIGKILL) by PID when this object dies.

#include <sys/types.h>

#include <string>
#include <vector>

namespace noj::testing {

class NojdProcess {
 public:
  // `data_dir` is kept across Restart(); extra flags are appended to the command line.
  NojdProcess(std::string data_dir, std::vector<std::string> extra_flags = {});
  ~NojdProcess();

  // Starts and waits for the "listening" line. Returns false (with a reason) on failure.
  // nojd is killed if the thread that started it ends (PR_SET_PDEATHSIG: a crashed test leaves
  // none behind): start it from a thread that outlives it, as the test's own.
  bool Start(std::string* error = nullptr);
  // SIGTERM and wait; returns the exit code (128 + signal if killed; -1 if not running).
  int Stop();
  void Kill();  // SIGKILL and wait
  bool Restart(std::string* error = nullptr) {
    Stop();
    return Start(error);
  }

  void set_log_level(std::string level) { log_level_ = std::move(level); }
  // Everything nojd wrote to stderr (its log), from <data-dir>/nojd.log.
  std::string Log() const;

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  // From <data-dir>/secrets.json.
  std::string api_token() const;
  std::string registration_token() const;

 private:
  std::string Secret(const char* key) const;
  std::string data_dir_;
  std::vector<std::string> extra_flags_;
  std::string log_level_ = "warn";
  pid_t pid_ = -1;
  int port_ = 0;
};

// The nojd binary under test (set by CMake).
std::string NojdBinary();

}  // namespace noj::testing
