// The server's parsing of runner results (protocol.md §2.4): the complete body as the complete
// handler reads it (JSON object → ReportedCasesFromJson → CheckShape → Aggregate → truncated
// outputs), and the stored text forms of aggregated results and task lists that both stores read
// back (SubmissionResultFromText, TaskSpecsFromText).
// Invariants: no crash or UB; whatever decodes re-encodes to the same value; an aggregate obeys
// protocol.md §3 (status = max over tasks, score = sum, 0..100); truncated outputs fit the cap.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "api/codec.h"
#include "common/json_util.h"
#include "judge/aggregate.h"

namespace {

using namespace noj;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "\n*** noj fuzz invariant violated: %s\n", what);
  std::abort();
}

// Tasks shaped like the reported cases (so Aggregate is reached for most inputs), scores summing
// to 100; nullopt when no problem could have that shape.
std::optional<api::TaskSpecs> TasksShapedLike(const api::ReportedCases& cases) {
  if (cases.empty() || cases.size() > 99) return std::nullopt;
  api::TaskSpecs tasks;
  int left = 100;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].empty() || cases[i].size() > 99) return std::nullopt;
    int score = i + 1 == cases.size() ? left : 100 / static_cast<int>(cases.size());
    left -= score;
    tasks.push_back({score, static_cast<int>(cases[i].size()), 65536, 1000});
  }
  return tasks;
}

// The texts come from JSON strings (valid UTF-8); a truncation must cut between characters.
bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

void CheckAggregate(const api::TaskSpecs& tasks, const api::ReportedCases& cases) {
  api::SubmissionResult r = judge::Aggregate(tasks, cases);
  if (r.tasks.size() != tasks.size()) Fail("aggregate has another number of tasks");
  if (r.score < 0 || r.score > 100) Fail("aggregate score outside 0..100");
  int sum = 0;
  api::Verdict worst = api::Verdict::kAC;
  for (size_t i = 0; i < r.tasks.size(); ++i) {
    const api::TaskResult& t = r.tasks[i];
    if (t.cases.size() != cases[i].size()) Fail("aggregate task has another number of cases");
    if (t.score != 0 && t.score != tasks[i].score) Fail("task score neither 0 nor taskScore");
    if (t.status == api::Verdict::kAC && t.score != tasks[i].score) Fail("AC task without score");
    sum += t.score;
    if (static_cast<int>(t.status) > static_cast<int>(worst)) worst = t.status;
  }
  if (sum != r.score) Fail("submission score is not the sum of task scores");
  if (r.status != worst) Fail("submission status is not the worst task status");
  // What the store keeps must read back as it was.
  auto back = api::SubmissionResultFromText(api::SubmissionResultToText(r));
  if (!back.ok() || !(*back == r)) Fail("stored result does not read back");

  constexpr size_t kCap = 64;
  for (const api::CaseOutput& o : judge::TruncatedOutputs(cases, kCap)) {
    if (o.task < 0 || o.task >= static_cast<int>(cases.size()) || o.case_index < 0 ||
        o.case_index >= static_cast<int>(cases[o.task].size()))
      Fail("output of a missing case");
    const api::CaseResult& c = cases[o.task][o.case_index];
    for (auto [cut, full] :
         {std::pair{&o.stdout_text, &c.stdout_text}, std::pair{&o.stderr_text, &c.stderr_text}}) {
      if (cut->size() > kCap || full->compare(0, cut->size(), *cut) != 0)
        Fail("truncated output is not a prefix within the cap");
      if (!ValidUtf8(*cut)) Fail("truncated output cuts a UTF-8 character");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  // 1. The complete body, as the complete handler decodes it.
  if (auto body = json::ParseObject(text); body.ok()) {
    if (auto cases = api::ReportedCasesFromJson(*body); cases.ok()) {
      auto again = api::ReportedCasesFromJson(api::ReportedCasesToJson(*cases));
      if (!again.ok() || !(*again == *cases)) Fail("reported cases do not survive a round trip");
      // The fixed shape of the seeded problem (2 tasks: 1 and 2 cases), then the input's own shape.
      api::TaskSpecs fixed{{40, 1, 65536, 1000}, {60, 2, 65536, 1000}};
      if (judge::CheckShape(fixed, *cases).ok()) CheckAggregate(fixed, *cases);
      if (auto shaped = TasksShapedLike(*cases); shaped) {
        if (!judge::CheckShape(*shaped, *cases).ok()) Fail("CheckShape refuses a matching shape");
        CheckAggregate(*shaped, *cases);
      }
    }
  }

  // 2. The stored forms both stores read back.
  if (auto r = api::SubmissionResultFromText(text); r.ok()) {
    auto again = api::SubmissionResultFromText(api::SubmissionResultToText(*r));
    if (!again.ok() || !(*again == *r)) Fail("stored result does not survive a round trip");
  }
  if (auto t = api::TaskSpecsFromText(text); t.ok()) {
    auto again = api::TaskSpecsFromText(api::TaskSpecsToText(*t));
    if (!again.ok() || !(*again == *t)) Fail("stored task list does not survive a round trip");
  }
  return 0;
}
