#pragma once
// FakeJudge: noj-runner's --fake-judge mode, for the chaos harness (test/chaos) only. It never
// compiles or runs anything: the verdict comes from the source text, so a harness can drive real
// runners through the real protocol (claim, heartbeats, code_url, testdata, complete) at a rate no
// sandbox allows, and know in advance what every submission must end as.
//
// Markers in the source (the first of each kind counts):
//   FAKE:AC FAKE:WA FAKE:CE FAKE:TLE FAKE:MLE FAKE:RE FAKE:JE FAKE:OLE — that verdict;
//   FAKE:FAIL  — local trouble (kInternal): the runner aborts the job, which keeps the attempt,
//                so the submission ends JE once the server's attempts are exhausted;
//   FAKE:CRASH — the runner process exits at once (exit code 70) mid-job; its lease expires;
//   FAKE:DELAY=<ms> — judging takes that long (capped at 60 s; interruptible), default 0..49 ms
//                from the hash, so jobs are in flight long enough to be killed.
// Without a verdict marker: one of AC WA TLE MLE RE OLE CE picked by FNV-1a of the source.
// A CE or JE verdict is reported on every case; any other verdict on the last case of the last
// task, every other case AC — so the submission's status is that verdict and its score is
// 100 minus the last task's score (100 for AC). Each case's stdout reads
// "fake judge <label> verdict=<V> src=<FakeSourceHash> task=<t> case=<c>".
//
// The mode is refused unless explicitly enabled (see CheckFakeJudgeAllowed).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/verdict.h"
#include "runner/job_judge.h"
#include "runner/judge_pipeline.h"
#include "runner/sleeper.h"

namespace noj::runner {

// The environment variable that must be "1" for --fake-judge to be accepted.
inline constexpr const char* kAllowFakeJudgeEnv = "NOJ_RUNNER_ALLOW_FAKE_JUDGE";

// Ok when `fake_judge` is off, or on with `allow_env` (the variable's value, null if unset) "1".
// kPermissionDenied with a sentence for the operator otherwise.
Status CheckFakeJudgeAllowed(bool fake_judge, const char* allow_env);

enum class FakeAction { kVerdict, kFail, kCrash };

struct FakePlan {
  FakeAction action = FakeAction::kVerdict;
  api::Verdict verdict = api::Verdict::kAC;  // for kVerdict
  std::chrono::milliseconds delay{0};
};

// What the fake judge does with `source` (pure; the harness may use it to predict outcomes).
FakePlan PlanFor(std::string_view source);

// FNV-1a of the source as 16 hex digits; every case's stdout carries it as "src=<hex>", so a stored
// result can be matched with the code it was made for.
std::string FakeSourceHash(std::string_view source);

class FakeJudge final : public JobJudge {
 public:
  // `label` goes into every case's stdout (e.g. the runner's name and pid), so a stored result
  // shows which process produced it.
  FakeJudge(Sleeper& sleeper, std::string label) : sleeper_(sleeper), label_(std::move(label)) {}

  Result<api::ReportedCases> Judge(const JudgeInput& input, std::stop_token stop) override;

 private:
  Sleeper& sleeper_;
  const std::string label_;
};

}  // namespace noj::runner
