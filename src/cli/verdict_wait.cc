#include "cli/verdict_wait.h"

#include <algorithm>
#include <map>

#include "cli/format.h"
#include "cli/submission_view.h"

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
    auto runners = api_.Get("/runners");
    if (runners.ok() && runners->is_array())
      for (const bj::value& r : runners->as_array())
        if (r.is_object() && StringField(r.as_object(), "runner_id") == runner_id)
          names_[runner_id] = StringField(r.as_object(), "name");
    return names_[runner_id];
  }

 private:
  ApiClient& api_;
  std::map<std::string, std::string> names_;
};

}  // namespace

std::string PendingStateText(const bj::object& s, const std::string& runner_name) {
  std::string state = StringField(s, "job_state");
  int64_t attempts = IntField(s, "attempts");
  if (state == "leased") {
    std::string runner = StringField(s, "runner_id");
    std::string who = runner_name.empty() ? runner : runner_name + " (" + runner + ")";
    std::string text = "judging on runner " + who;
    if (attempts > 1) text += ", attempt " + std::to_string(attempts);
    return text;
  }
  if (attempts > 0) return "queued again (attempt " + std::to_string(attempts) + " did not finish)";
  return "queued";
}

Result<bj::object> WaitForVerdict(ApiClient& api, const std::string& sid,
                                  const WaitOptions& options, ProgressLine& progress) {
  RunnerNames names(api);
  const std::string prefix = sid + ": ";
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = start + options.timeout;
  std::string path = "/submissions/" + sid;
  if (options.just_submitted) progress.Update(prefix, "queued", 0);
  NOJ_ASSIGN_OR_RETURN(bj::value v, api.Get(path));
  for (;;) {
    if (!v.is_object())
      return InternalError("the server answered a submission that is not an object");
    const bj::object& s = v.as_object();
    if (IsFinal(s)) {
      progress.Finish(prefix, SummaryText(s));
      return s;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
    progress.Update(prefix, PendingStateText(s, names.NameOf(StringField(s, "runner_id"))),
                    elapsed.count());
    auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      progress.Finish(prefix,
                      "still pending after " + std::to_string(options.timeout.count()) + "s");
      return s;
    }
    int64_t wait = std::clamp<int64_t>(std::min(left.count(), options.poll.count()), 1, 30);
    NOJ_ASSIGN_OR_RETURN(
        v, api.Get(path + "?wait=" + std::to_string(wait), std::chrono::seconds(wait + 30)));
  }
}

}  // namespace noj::cli
