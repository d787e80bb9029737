#include "chaos/workload.h"

#include "common/zip_archive.h"
#include "judge/testdata_layout.h"
#include "runner/fake_judge.h"

namespace noj::chaos {

using api::Verdict;

Expectation Expect(const std::string& code, const api::TaskSpecs& tasks) {
  runner::FakePlan plan = runner::PlanFor(code);
  if (plan.action != runner::FakeAction::kVerdict) return {true, Verdict::kJE, 0};
  Expectation e{false, plan.verdict, 0};
  if (plan.verdict == Verdict::kAC)
    e.score = 100;
  else if (plan.verdict != Verdict::kCE && plan.verdict != Verdict::kJE)
    e.score = 100 - tasks.back().score;  // only the last task fails
  return e;
}

Workload::Workload(int count, int crashes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr const char* kVerdicts[] = {"AC", "WA", "CE", "TLE", "MLE", "RE", "OLE", "JE"};
  for (int i = 0; i < count; ++i) {
    SubmissionSpec s;
    s.index = i;
    s.problem = static_cast<int>(rng() % problems.size());
    s.language = static_cast<int>(rng() % 3);
    std::string marker;
    uint64_t pick = rng() % 100;
    if (i < crashes) {
      // Longer than any ordinary job (≤ 400 ms): a crash orphans the runner's other job too, and
      // the two leases (renewed by the same heartbeats) expire together and are reclaimed together
      // by one runner; the other job must be done before the next crash, or it would share every
      // crash until its attempts ran out (a CI run saw one job hit 4 times so).
      marker = "FAKE:CRASH FAKE:DELAY=1500";
    } else if (pick < 2) {
      marker = "FAKE:FAIL FAKE:DELAY=20";
    } else if (pick < 20) {
      marker = "";  // the hash decides
    } else {
      marker = std::string("FAKE:") + kVerdicts[rng() % 8] +
               " FAKE:DELAY=" + std::to_string(20 + rng() % 380);
    }
    s.code = "// chaos submission " + std::to_string(i) + " seed " + std::to_string(seed) +
             "\n// " + marker + "\nint main() { return " + std::to_string(rng() % 1000) + "; }\n";
    Expectation e = Expect(s.code, problems[static_cast<size_t>(s.problem)].tasks);
    s.forced_je = e.forced_je;
    s.verdict = e.verdict;
    s.score = e.score;
    specs.push_back(std::move(s));
  }
}

int Workload::AddExtra(Verdict verdict, int problem) {
  SubmissionSpec s;
  s.index = static_cast<int>(specs.size());
  s.problem = problem;
  s.code = "// hostile-runner target " + std::to_string(s.index) +
           "\n// FAKE:" + std::string(api::VerdictName(verdict)) + " FAKE:DELAY=0\n";
  Expectation e = Expect(s.code, problems[static_cast<size_t>(problem)].tasks);
  s.forced_je = e.forced_je;
  s.verdict = e.verdict;
  s.score = e.score;
  specs.push_back(std::move(s));
  return specs.back().index;
}

int Workload::AddBurst(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr const char* kBurstVerdicts[] = {"AC", "WA", "TLE", "RE"};
  const int first = static_cast<int>(specs.size());
  for (int i = 0; i < n; ++i) {
    SubmissionSpec s;
    s.index = first + i;
    s.problem = static_cast<int>(rng() % problems.size());
    s.language = static_cast<int>(rng() % 3);
    s.code = "// chaos burst " + std::to_string(s.index) + " seed " + std::to_string(seed) +
             "\n// FAKE:" + kBurstVerdicts[rng() % 4] +
             " FAKE:DELAY=" + std::to_string(100 + rng() % 300) + "\nint main() { return 0; }\n";
    Expectation e = Expect(s.code, problems[static_cast<size_t>(s.problem)].tasks);
    s.forced_je = e.forced_je;
    s.verdict = e.verdict;
    s.score = e.score;
    specs.push_back(std::move(s));
  }
  return first;
}

void Workload::Record(int index, const std::string& sid) {
  std::lock_guard lock(mu_);
  sid_to_spec_[sid] = index;
}

std::map<std::string, int> Workload::Known() const {
  std::lock_guard lock(mu_);
  return sid_to_spec_;
}

std::optional<int> Workload::SpecOf(const std::string& sid) const {
  std::lock_guard lock(mu_);
  auto it = sid_to_spec_.find(sid);
  if (it == sid_to_spec_.end()) return std::nullopt;
  return it->second;
}

void Workload::NoteUncertainPost(int index) {
  std::lock_guard lock(mu_);
  ++uncertain_[index];
}

std::map<int, int> Workload::UncertainPosts() const {
  std::lock_guard lock(mu_);
  return uncertain_;
}

std::string TestdataZip(const api::TaskSpecs& tasks) {
  std::vector<zip::Entry> entries;
  for (size_t t = 0; t < tasks.size(); ++t)
    for (int c = 0; c < tasks[t].case_count; ++c) {
      int ti = static_cast<int>(t);
      entries.push_back({judge::CaseFileName(ti, c, "in"), std::to_string(ti + c) + "\n"});
      entries.push_back({judge::CaseFileName(ti, c, "out"), std::to_string(ti + c) + "\n"});
    }
  auto z = zip::Build(entries);
  return z.ok() ? *z : "";
}

}  // namespace noj::chaos
