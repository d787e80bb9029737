#include "runner/fake_judge.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "common/logging.h"

namespace noj::runner {
namespace {

using api::Verdict;

constexpr std::string_view kMarker = "FAKE:";

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The word after the first "FAKE:<prefix>" in `source`, e.g. "WA" or "DELAY=200"; empty if none.
std::string_view MarkerWord(std::string_view source, std::string_view prefix) {
  size_t at = 0;
  while ((at = source.find(kMarker, at)) != std::string_view::npos) {
    at += kMarker.size();
    std::string_view rest = source.substr(at);
    if (rest.substr(0, prefix.size()) != prefix) continue;
    size_t end = 0;
    while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) ||
                                 rest[end] == '=' || rest[end] == '_'))
      ++end;
    return rest.substr(0, end);
  }
  return {};
}

}  // namespace

Status CheckFakeJudgeAllowed(bool fake_judge, const char* allow_env) {
  if (!fake_judge) return Status::Ok();
  if (allow_env != nullptr && std::string_view(allow_env) == "1") return Status::Ok();
  return PermissionDeniedError(
      "--fake-judge invents verdicts without running any code; it exists only for the chaos "
      "test harness and is refused unless " +
      std::string(kAllowFakeJudgeEnv) + "=1 is also set");
}

FakePlan PlanFor(std::string_view source) {
  FakePlan plan;
  uint64_t h = Fnv1a(source);
  plan.delay = std::chrono::milliseconds(h % 50);
  std::string_view delay = MarkerWord(source, "DELAY=");
  if (!delay.empty()) {
    int ms = 0;
    delay.remove_prefix(6);
    auto [p, ec] = std::from_chars(delay.data(), delay.data() + delay.size(), ms);
    if (ec == std::errc() && p == delay.data() + delay.size() && ms >= 0)
      plan.delay = std::chrono::milliseconds(std::min(ms, 60000));
  }
  // Scan every marker in order; the first that names an action or a verdict decides.
  size_t at = 0;
  while ((at = source.find(kMarker, at)) != std::string_view::npos) {
    at += kMarker.size();
    std::string_view word = source.substr(at);
    size_t end = 0;
    while (end < word.size() && std::isalnum(static_cast<unsigned char>(word[end]))) ++end;
    word = word.substr(0, end);
    if (word == "FAIL" || word == "CRASH") {
      plan.action = word == "FAIL" ? FakeAction::kFail : FakeAction::kCrash;
      return plan;
    }
    if (std::optional<Verdict> verdict = api::ParseCaseVerdict(word)) {
      plan.verdict = *verdict;
      return plan;
    }
  }
  static constexpr std::array<Verdict, 7> kPicks = {Verdict::kAC,  Verdict::kWA, Verdict::kTLE,
                                                    Verdict::kMLE, Verdict::kRE, Verdict::kOLE,
                                                    Verdict::kCE};
  plan.verdict = kPicks[(h >> 8) % kPicks.size()];
  return plan;
}

std::string FakeSourceHash(std::string_view source) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t h = Fnv1a(source);
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 15];
  return out;
}

Result<api::ReportedCases> FakeJudge::Judge(const JudgeInput& input, std::stop_token stop) {
  FakePlan plan = PlanFor(input.source);
  if (plan.delay.count() > 0 && !sleeper_.SleepFor(plan.delay, stop))
    return AbortedError("judging cancelled");
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  if (plan.action == FakeAction::kCrash) {
    NOJ_LOG_WARN("event=fake_judge_crash action=exit code=70");
    ::_exit(70);  // on purpose, mid-job: what a runner dying under a job looks like
  }
  if (plan.action == FakeAction::kFail) return InternalError("fake judge: FAKE:FAIL in the source");

  uint64_t h = Fnv1a(input.source);
  bool uniform = plan.verdict == Verdict::kCE || plan.verdict == Verdict::kJE;
  std::string name(api::VerdictName(plan.verdict));
  std::string src = FakeSourceHash(input.source);
  api::ReportedCases cases;
  for (size_t t = 0; t < input.tasks.size(); ++t) {
    cases.emplace_back();
    int count = input.tasks[t].case_count;
    for (int c = 0; c < count; ++c) {
      bool last = t + 1 == input.tasks.size() && c + 1 == count;
      api::CaseResult r;
      r.status = uniform || last ? plan.verdict : Verdict::kAC;
      r.exit_code = r.status == Verdict::kRE ? 1 : 0;
      r.exec_time_ms = static_cast<int64_t>((h >> 16) % 100) + c;
      r.memory_kib = 1024 + static_cast<int64_t>((h >> 24) % 1024);
      r.stdout_text = "fake judge " + label_ + " verdict=" + name + " src=" + src +
                      " task=" + std::to_string(t) + " case=" + std::to_string(c) + "\n";
      if (r.status == Verdict::kCE) r.stderr_text = "fake judge: FAKE:CE\n";
      cases.back().push_back(std::move(r));
    }
  }
  return cases;
}

}  // namespace noj::runner
