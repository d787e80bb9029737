#include "chaos/rogue.h"

#include <thread>

namespace noj::chaos {

using namespace std::chrono_literals;

void Rogue::Run(std::stop_token stop) {
  auto fresh = [this] {
    return std::make_unique<RawRunner>(cluster_.base_url(), cluster_.registration_token(),
                                       "chaos-rogue");
  };
  auto r = fresh();
  int turn = 0;
  while (!stop.stop_requested()) {
    std::this_thread::sleep_for(period_);
    if (r->id().empty() && !r->Register()) continue;
    int status = 0;
    auto job = r->Claim(1, &status);
    if (status == 401) {  // cannot happen (identities persist), but re-register rather than spin
      r = fresh();
      continue;
    }
    if (!job) continue;
    {
      std::lock_guard lock(mu_);
      ++stats_.claims;
    }
    if (misbehaved_on_.insert(job->submission_id).second) {
      Misbehave(*r, *job, turn++, stop);
      continue;
    }
    auto source = r->FetchSource(*job);
    auto body = source ? CorrectBody(*job, *source, "chaos-rogue") : std::nullopt;
    if (!body) continue;  // FAIL / CRASH code (forced JE anyway), or no code: drop it
    int landed = r->CompleteDefinitely(job->job_id, job->attempt, *body, 20s);
    std::lock_guard lock(mu_);
    ++stats_.polite;
    if (landed == 204) ++landed_[job->submission_id];
  }
}

void Rogue::Misbehave(RawRunner& r, const api::JobPayload& job, int turn, std::stop_token stop) {
  auto source = r.FetchSource(job);
  std::optional<std::string> body;
  if (source) body = CorrectBody(job, *source, "chaos-rogue");
  int kind = body ? turn % 4 : 0;  // FAIL / CRASH code, or no code: just drop it
  testing::HttpClient api(cluster_.base_url());
  auto note = [this](auto&& f) {
    std::lock_guard lock(mu_);
    f();
  };
  if (kind == 0) {  // never report, never heartbeat
    note([&] { ++stats_.dropped; });
    return;
  }
  if (kind == 1 || kind == 3) {  // double report (kind 3: with skewed heartbeats first)
    if (kind == 3) {
      note([&] { ++stats_.skewed; });
      for (int i = 0; i < 3 && !stop.stop_requested(); ++i) {
        r.Heartbeat({job.job_id}, {SkewedDateHeader(-std::chrono::hours(30))},
                    "\"now\":1000,\"sent_at\":1000");
        std::this_thread::sleep_for(500ms);
      }
    }
    int first = r.CompleteDefinitely(job.job_id, job.attempt, *body, 20s);
    int second = r.CompleteDefinitely(job.job_id, job.attempt, *body, 20s);
    note([&] {
      ++stats_.doubles;
      if (first == 204) ++landed_[job.submission_id];
      if (second == 204) {
        ++landed_[job.submission_id];
        ++stats_.second_reports_landed;
      } else if (second == 404 || second == 409) {
        ++stats_.second_reports_refused;
      }
    });
    return;
  }
  // Zombie: wait (not heartbeating) until the job was reclaimed or has landed, then report a
  // wrong result with the old attempt.
  note([&] { ++stats_.zombies; });
  // Until then the lease is still its own (expired but not reclaimed): a report would rightly land.
  auto until = std::chrono::steady_clock::now() + 60s;
  bool taken = false;
  while (!taken && !stop.stop_requested() && std::chrono::steady_clock::now() < until) {
    auto v = ViewSubmission(api, cluster_.api_auth(), job.submission_id);
    taken = v && (v->status >= 0 || v->attempts > job.attempt || v->runner_id != r.id());
    if (!taken) std::this_thread::sleep_for(250ms);
  }
  if (!taken) return;
  int status = r.CompleteDefinitely(job.job_id, job.attempt,
                                    WrongBody(job, *source, "chaos-rogue-zombie"), 20s);
  note([&] {
    if (status == 204) {
      ++stats_.zombie_reports_landed;
      ++landed_[job.submission_id];
    } else if (status == 404 || status == 409) {
      ++stats_.zombie_reports_refused;
    }
  });
}

Rogue::Stats Rogue::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::map<std::string, int> Rogue::Landed() const {
  std::lock_guard lock(mu_);
  return landed_;
}

}  // namespace noj::chaos
