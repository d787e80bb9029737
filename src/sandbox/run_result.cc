#include "sandbox/run_result.h"

#include <cstdio>

namespace noj::sandbox {
namespace {

// JSON string escaping; enough for our own messages and protection names.
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "OK";
    case Verdict::kTle:
      return "TLE";
    case Verdict::kMle:
      return "MLE";
    case Verdict::kOle:
      return "OLE";
    case Verdict::kRe:
      return "RE";
    case Verdict::kSe:
      return "SE";
  }
  return "SE";
}

RunResult SandboxError(std::string error, std::string protections) {
  RunResult r;
  r.verdict = Verdict::kSe;
  r.error = std::move(error);
  r.protections = std::move(protections);
  return r;
}

std::string FormatResultLine(const RunResult& r) {
  std::string out = "{\"verdict\":";
  AppendJsonString(out, VerdictName(r.verdict));
  out += ",\"exit_code\":" + std::to_string(r.exit_code);
  out += ",\"signal\":" + std::to_string(r.signal);
  out += ",\"cpu_ms\":" + std::to_string(r.cpu_ms);
  out += ",\"wall_ms\":" + std::to_string(r.wall_ms);
  out += ",\"memory_kib\":" + std::to_string(r.memory_kib);
  out += ",\"protections\":";
  AppendJsonString(out, r.protections);
  if (r.verdict == Verdict::kSe || !r.error.empty()) {  // SE, or why a program did not start
    out += ",\"error\":";
    AppendJsonString(out, r.error);
  }
  out += '}';
  return out;
}

}  // namespace noj::sandbox
