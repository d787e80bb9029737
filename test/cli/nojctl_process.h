#pragma once
// Runs the nojctl binary as a child process with a clean environment (no NOJ_* variables but the
// ones given), stdout and stderr captured in files. Killed by PID if it outlives its timeout.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace noj::cli::testing {

struct CliResult {
  int exit_code = -1;  // 128 + signal if killed
  std::string out;
  std::string err;
};

class NojctlProcess {
 public:
  // `env`: "NAME=value" entries added to PATH/HOME/LANG.
  NojctlProcess(std::vector<std::string> args, std::vector<std::string> env = {});
  ~NojctlProcess();  // SIGKILL if still running
  NojctlProcess(const NojctlProcess&) = delete;
  NojctlProcess& operator=(const NojctlProcess&) = delete;

  bool Start();
  // What it wrote to stderr so far.
  std::string ErrSoFar() const;
  // Waits for the exit (SIGKILL after `timeout`) and collects the output.
  CliResult Wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::string dir_;
  pid_t pid_ = -1;
};

// Start + Wait.
CliResult RunNojctl(std::vector<std::string> args, std::vector<std::string> env = {});

// The binary under test (set by CMake).
std::string NojctlBinary();

}  // namespace noj::cli::testing
