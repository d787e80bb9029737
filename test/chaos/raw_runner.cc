#include "chaos/raw_runner.h"

#include <ctime>
#include <thread>

#include "api/codec.h"
#include "common/zip_archive.h"
#include "runner/fake_judge.h"

namespace noj::chaos {

namespace bj = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// The fake judge's delays are skipped: the hostile runners only want its results.
class NoSleep final : public runner::Sleeper {
 public:
  bool SleepFor(std::chrono::milliseconds, std::stop_token stop) override {
    return !stop.stop_requested();
  }
};

std::optional<std::string> BodyFor(const api::JobPayload& job, const std::string& source,
                                   const std::string& label) {
  if (runner::PlanFor(source).action != runner::FakeAction::kVerdict) return std::nullopt;
  NoSleep no_sleep;
  runner::FakeJudge judge(no_sleep, label);
  runner::JudgeInput in;
  in.language = job.language;
  in.tasks = job.tasks;
  in.source = source;
  auto cases = judge.Judge(in, {});
  if (!cases.ok()) return std::nullopt;
  return bj::serialize(api::ReportedCasesToJson(*cases));
}

}  // namespace

std::optional<bj::object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  bj::value v = bj::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::optional<JobView> ViewSubmission(testing::HttpClient& http, const std::string& auth,
                                      const std::string& sid) {
  auto r = http.Send("GET", "/submissions/" + sid, "", {auth}, 5000);
  if (r.status != 200) return std::nullopt;
  auto o = ParseObject(r.body);
  if (!o) return std::nullopt;
  JobView v;
  v.status = static_cast<int>(o->at("status").to_number<int64_t>());
  v.attempts = static_cast<int>(o->at("attempts").to_number<int64_t>());
  if (o->at("runner_id").is_string()) v.runner_id = std::string(o->at("runner_id").as_string());
  return v;
}

RawRunner::RawRunner(std::string base_url, std::string registration_token, std::string name)
    : base_url_(std::move(base_url)),
      registration_token_(std::move(registration_token)),
      name_(std::move(name)),
      http_(base_url_) {}

bool RawRunner::Register() {
  auto r = http_.Send(
      "POST", "/runners/register",
      bj::serialize(bj::object{{"registration_token", registration_token_}, {"name", name_}}), {},
      5000);
  if (r.status != 201) return false;
  auto o = ParseObject(r.body);
  if (!o) return false;
  id_ = std::string(o->at("runner_id").as_string());
  token_ = std::string(o->at("token").as_string());
  return true;
}

std::optional<api::JobPayload> RawRunner::Claim(int wait_s, int* status) {
  auto r = http_.Send("GET", "/runners/" + id_ + "/next-job?wait=" + std::to_string(wait_s), "",
                      {"Authorization: Bearer " + token_}, (wait_s + 10) * 1000L);
  if (status != nullptr) *status = r.status;
  if (r.status != 200) return std::nullopt;
  auto o = ParseObject(r.body);
  if (!o) return std::nullopt;
  auto job = api::JobPayloadFromJson(*o);
  if (!job.ok()) return std::nullopt;
  return *job;
}

int RawRunner::Heartbeat(const std::vector<std::string>& job_ids,
                         const std::vector<std::string>& headers, const std::string& extra_fields) {
  bj::array ids;
  for (const auto& j : job_ids) ids.push_back(bj::value(j));
  std::string body = bj::serialize(bj::object{{"active_job_ids", ids}});
  if (!extra_fields.empty()) body = body.substr(0, body.size() - 1) + "," + extra_fields + "}";
  std::vector<std::string> h = headers;
  h.push_back("Authorization: Bearer " + token_);
  return http_.Send("POST", "/runners/" + id_ + "/heartbeat", body, h, 5000).status;
}

int RawRunner::Complete(const std::string& job_id, int attempt, const std::string& body,
                        const std::vector<std::string>& headers) {
  std::vector<std::string> h = headers;
  h.push_back("Authorization: Bearer " + token_);
  if (attempt >= 0) h.push_back("X-Job-Attempt: " + std::to_string(attempt));
  return http_.Send("PUT", "/runners/" + id_ + "/jobs/" + job_id + "/complete", body, h, 10000)
      .status;
}

int RawRunner::CompleteDefinitely(const std::string& job_id, int attempt, const std::string& body,
                                  std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  int status = 0;
  do {
    status = Complete(job_id, attempt, body);
    if (status != 0 && status < 500) return status;
    std::this_thread::sleep_for(200ms);
  } while (Clock::now() < deadline);
  return status;
}

std::optional<std::string> RawRunner::FetchSource(const api::JobPayload& job) {
  testing::HttpClient plain("");  // code_url is absolute and needs no auth header
  for (int i = 0; i < 50; ++i) {
    auto r = plain.Send("GET", job.code_url, "", {}, 5000);
    if (r.status == 200) {
      auto entries = zip::ReadAll(r.body);
      if (!entries.ok() || entries->size() != 1) return std::nullopt;
      return (*entries)[0].data;
    }
    if (r.status != 0 && r.status < 500) return std::nullopt;
    std::this_thread::sleep_for(200ms);
  }
  return std::nullopt;
}

std::optional<std::string> CorrectBody(const api::JobPayload& job, const std::string& source,
                                       const std::string& label) {
  return BodyFor(job, source, label);
}

std::string WrongBody(const api::JobPayload& job, const std::string& source,
                      const std::string& label) {
  auto plan = runner::PlanFor(source);
  bool was_ac = plan.action == runner::FakeAction::kVerdict && plan.verdict == api::Verdict::kAC;
  // The first marker decides, so the other verdict goes in front of the source.
  std::string fake = std::string("// FAKE:") + (was_ac ? "OLE" : "AC") + "\n" + source;
  return BodyFor(job, fake, label).value_or("{}");
}

std::string SkewedDateHeader(std::chrono::seconds offset) {
  std::time_t t = std::time(nullptr) + static_cast<std::time_t>(offset.count());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "Date: %a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace noj::chaos
