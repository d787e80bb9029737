#pragma once
// The chaos load: two problems, and submissions whose code text decides the fake judge's verdict
// (runner/fake_judge.h), so the final status of each one is known before it is judged.
//   most:  an explicit marker FAKE:<verdict> and a delay of 20..400 ms (jobs in flight long enough
//          to be killed);
//   some:  no marker (the fake judge's hash picks; expected = runner::PlanFor);
//   a few: FAKE:FAIL (every attempt aborts) or FAKE:CRASH (the runner exits mid-job) — the harness
//          forces the attempts to run out, so these, and only these, must end JE.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "api/task_spec.h"
#include "api/verdict.h"

namespace noj::chaos {

struct ProblemSpec {
  int64_t id = 0;
  api::TaskSpecs tasks;
};

struct SubmissionSpec {
  int index = 0;
  int problem = 0;  // index into Workload::problems
  int language = 1;
  std::string code;
  bool forced_je = false;
  api::Verdict verdict = api::Verdict::kJE;  // expected final status
  int score = 0;                             // expected final score
};

// The expected verdict and score of `code` on `tasks` (shared with the hostile runners, which make
// correct and wrong results themselves).
struct Expectation {
  bool forced_je = false;
  api::Verdict verdict = api::Verdict::kJE;
  int score = 0;
};
Expectation Expect(const std::string& code, const api::TaskSpecs& tasks);

class Workload {
 public:
  // `count` submissions, of which `crashes` FAKE:CRASH (at the front, so their attempts run out
  // during the faults) and about 2% FAKE:FAIL; deterministic for a seed.
  Workload(int count, int crashes, uint64_t seed);

  std::vector<ProblemSpec> problems = {
      {0, {{40, 2, 65536, 1000}, {60, 3, 65536, 1000}}},
      {0, {{100, 1, 65536, 1000}}},
  };
  std::vector<SubmissionSpec> specs;

  // A spec for a hostile-runner scenario (explicit verdict, no delay), appended to `specs`.
  int AddExtra(api::Verdict verdict, int problem);
  // `n` ordinary specs (explicit verdict, a 100..400 ms delay) appended to `specs`, e.g. a burst
  // submitted at once so that nojd can be killed while they drain; returns the first index.
  int AddBurst(int n, uint64_t seed);

  // The submission ids each spec was given (several when a POST was retried after its answer was
  // lost: the earlier one may exist too — found at the end by listing). Thread-safe.
  void Record(int index, const std::string& sid);
  std::map<std::string, int> Known() const;
  std::optional<int> SpecOf(const std::string& sid) const;
  void NoteUncertainPost(int index);
  std::map<int, int> UncertainPosts() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, int> sid_to_spec_;
  std::map<int, int> uncertain_;  // spec index -> POSTs whose answer was lost
};

// The zip of testdata for `tasks` (TTCC.in / TTCC.out).
std::string TestdataZip(const api::TaskSpecs& tasks);

}  // namespace noj::chaos
