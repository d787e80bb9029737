#pragma once
// The outcome of one sandboxed run and its wire form: exactly one JSON line on stdout.
//   {"verdict":"OK","exit_code":0,"signal":0,"cpu_ms":12,"wall_ms":15,"memory_kib":2048,
//    "protections":"cgroup-mem=v1 ..."}   (+ "error":"..." when SE, or an RE whose program
//                                          could not be executed)

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::sandbox {

enum class Verdict {
  kOk,   // exited with status 0 within every limit
  kTle,  // CPU (or wall) limit exceeded
  kMle,  // memory limit exceeded (OOM kill or peak above the limit)
  kOle,  // output limit exceeded (SIGXFSZ or stdout larger than the limit)
  kRe,   // non-zero exit, or killed by a signal that is not ours
  kSe,   // sandbox error: the program's behaviour says nothing; see `error`
};

std::string_view VerdictName(Verdict verdict);

struct RunResult {
  Verdict verdict = Verdict::kSe;
  int exit_code = 0;  // valid when signal == 0
  int signal = 0;     // terminating signal, 0 if the program exited
  int64_t cpu_ms = 0;
  int64_t wall_ms = 0;
  int64_t memory_kib = 0;  // peak
  std::string protections;
  std::string error;  // SE; RE of a program that could not be executed
};

RunResult SandboxError(std::string error, std::string protections = "");

// One line, no trailing newline.
std::string FormatResultLine(const RunResult& result);

// For callers of the noj-sandbox binary. kInvalidArgument on malformed lines.
Result<RunResult> ParseResultLine(std::string_view line);

}  // namespace noj::sandbox
