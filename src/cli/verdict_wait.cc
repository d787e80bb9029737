#include "cli/verdict_wait.h"

#include <algorithm>
#include <map>

#include "api/admin_bodies.h"

namespace noj::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Runner names by id, fetched from GET /runners when an unknown id shows up (best effort).
class RunnerNames {
 public:
  explicit RunnerNames(ApiClient& api) : api_(api) {}

  std::string NameOf(const std::string& runner_id) {
    if (runner_id.empty()) return "";
    if (auto it = names_.find(runner_id); it != names_.end()) return it->second;
    names_[runner_id] = "";  // asked once: a failure shows the id
    auto answer = api_.Get("/runners");
    auto runners = answer.ok() ? api::RunnersViewFromJson(*answer)
                               : Result<std::vector<api::RunnerView>>(answer.status());
    if (runners.ok())
      for (const api::RunnerView& r : *runners)
        if (r.runner_id == runner_id) names_[runner_id] = r.name;
    return names_[runner_id];
  }

 private:
  ApiClient& api_;
  std::map<std::string, std::string> names_;
};

}  // namespace

std::string PendingStateText(const api::SubmissionView& s, const std::string& runner_name) {
  int64_t attempts = s.attempts;
  if (s.job_state == "leased") {
    const std::string& runner = s.runner_id;
    std::string who = runner_name.empty() ? runner : runner_name + " (" + runner + ")";
    std::string text = "judging on runner " + who;
    if (attempts > 1) text += ", attempt " + std::to_string(attempts);
    return text;
  }
  if (attempts > 0) return "queued again (attempt " + std::to_string(attempts) + " did not finish)";
  return "queued";
}

Result<SubmissionAnswer> WaitForVerdict(ApiClient& api, const std::string& sid,
                                        const WaitOptions& options, ProgressLine& progress) {
  RunnerNames names(api);
  const std::string prefix = sid + ": ";
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = start + options.timeout;
  std::string path = "/submissions/" + sid;
  if (options.just_submitted) progress.Update(prefix, "queued", 0);
  const std::string request = "GET " + path;
  NOJ_ASSIGN_OR_RETURN(bj::value v, api.Get(path));
  for (;;) {
    NOJ_ASSIGN_OR_RETURN(SubmissionAnswer answer, ReadSubmissionAnswer(request, std::move(v)));
    const api::SubmissionView& s = answer.view;
    if (IsFinal(s)) {
      progress.Finish(prefix, SummaryText(s));
      return answer;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
    progress.Update(prefix, PendingStateText(s, names.NameOf(s.runner_id)), elapsed.count());
    auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      progress.Finish(prefix,
                      "still pending after " + std::to_string(options.timeout.count()) + "s");
      return answer;
    }
    int64_t wait = std::clamp<int64_t>(std::min(left.count(), options.poll.count()), 1, 30);
    NOJ_ASSIGN_OR_RETURN(
        v, api.Get(path + "?wait=" + std::to_string(wait), std::chrono::seconds(wait + 30)));
  }
}

}  // namespace noj::cli
