#pragma once
// A noj-runner child process for end-to-end tests: started with the given flags, stderr to a log
// file, signalled and reaped by PID only.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace noj::runner::testing {

// "" when the host has the compilers noj-runner needs to start: it resolves every built-in one
// (LanguageTable::BuiltIn: gcc, g++, python3) in the box's PATH at start, even with
// --fake-judge. Else why not, naming the missing program, for GTEST_SKIP().
std::string MissingRunnerCompilers();

class RunnerProcess {
 public:
  RunnerProcess(std::vector<std::string> args, std::string log_path);
  ~RunnerProcess();  // SIGKILL if still running
  RunnerProcess(const RunnerProcess&) = delete;
  RunnerProcess& operator=(const RunnerProcess&) = delete;

  bool started() const { return pid_ > 0; }
  void Signal(int sig);
  // The exit code (128 + signal when killed), or -1 if it did not end within `timeout`.
  int Wait(std::chrono::milliseconds timeout);
  bool Running();
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

}  // namespace noj::runner::testing
