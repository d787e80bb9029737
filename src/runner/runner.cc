#include "runner/runner.h"

#include <algorithm>
#include <thread>

#include "common/logging.h"
#include "runner/box_id_pool.h"
#include "runner/heartbeat_loop.h"
#include "runner/job_prep.h"
#include "runner/job_threads.h"
#include "runner/job_tracker.h"
#include "runner/job_worker.h"
#include "runner/poll_loop.h"
#include "runner/registration.h"
#include "runner/runner_api.h"
#include "runner/server_testdata_source.h"
#include "runner/testdata_cache.h"

namespace noj::runner {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Declaration order is destruction order in reverse: the threads go first.
struct Runner::Session {
  Session(const RunnerOptions& o, RunnerEnv env, Registration reg, int slots)
      : api(env.http, o.server_url, reg.runner_id, reg.token),
        source(api),
        cache(o.cache_dir, source, env.metrics),
        tracker(slots),
        boxes(o.box_id_base, slots),
        preparer(api, cache, o.languages, env.sleeper),
        pipeline(env.executor, o.languages, o.limits, env.metrics, env.compile_cache),
        worker(JobWorkerDeps{api, tracker, preparer, env.judge ? *env.judge : pipeline, boxes,
                             env.sleeper, o.work_dir, env.metrics, env.trash}),
        config(reg.config) {}

  RunnerApi api;
  ServerTestdataSource source;
  TestdataCache cache;
  JobTracker tracker;
  BoxIdPool boxes;
  JobPreparer preparer;
  JudgePipeline pipeline;
  JobWorker worker;
  ServerConfig config;
  std::stop_source poll_cut;  // interrupts the long-poll in flight
  bool poll_done = false;     // guarded by Runner::mu_
  JobThreads jobs;
  std::jthread heartbeat;
  std::jthread poll;
};

Runner::Runner(RunnerOptions options, RunnerEnv env) : options_(std::move(options)), env_(env) {}

void Runner::Raise(Event e) {
  {
    MutexLock lock(&mu_);
    if (e == Event::kDrain && event_ != Event::kNone) return;  // never weaker than before
    if (event_ == Event::kRevoked) return;
    event_ = e;
  }
  startup_stop_.request_stop();
  if (e != Event::kDrain) runner_stop_.request_stop();
  cv_.notify_all();
}

void Runner::RequestDrain() { Raise(Event::kDrain); }
void Runner::RequestStopNow() { Raise(Event::kStopNow); }

Runner::Event Runner::WaitForEvent() {
  MutexLock lock(&mu_);
  cv_.wait(mu_, [this] {
    mu_.AssertHeld();
    return event_ != Event::kNone;
  });
  return event_;
}

int Runner::SlotsFor(int server_max) const {
  if (options_.slots > 0) return options_.slots;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, std::min(server_max, cores));
}

int Runner::Run() {
  // judging.md §5: the languages of its table and the features it was allowed (--features).
  const api::RunnerCapabilities capabilities{options_.languages.Codes(), options_.features};
  auto reg = RegisterWithRetry(
      env_.http, env_.sleeper, options_.server_url, options_.registration_token, options_.name,
      options_.sandbox_protections, capabilities, startup_stop_.get_token(), options_.speed_score);
  if (!reg.ok()) {
    if (reg.status().code() == ErrorCode::kAborted)
      return runner_stop_.stop_requested() ? kExitStoppedNow : kExitOk;
    return reg.status().code() == ErrorCode::kUnauthenticated ? kExitUnauthorized : kExitFailure;
  }
  int slots = SlotsFor(reg->config.max_concurrent_jobs);
  Session s(options_, env_, std::move(reg).value(), slots);
  NOJ_LOG_INFO("event=runner_started runner={} slots={}", s.api.runner_id(), slots);

  auto on_revoked = [this] { Raise(Event::kRevoked); };
  HeartbeatLoop heartbeat(s.api, s.tracker, env_.sleeper, env_.clock,
                          seconds(s.config.heartbeat_interval_sec), on_revoked);
  auto launch = [this, &s](api::JobPayload job, std::shared_ptr<JobControl> control) {
    std::stop_token runner_stop = runner_stop_.get_token();
    s.jobs.Launch([&s, job = std::move(job), control, runner_stop] {
      s.worker.Run(job, control, runner_stop);
    });
  };
  PollLoop poll(
      s.api, s.tracker, env_.sleeper, env_.clock,
      {.wait_sec = options_.poll_wait_sec, .poll_interval = seconds(s.config.poll_interval_sec)},
      launch);
  s.heartbeat = std::jthread([&heartbeat](std::stop_token st) { heartbeat.Run(st); });
  s.poll = std::jthread([this, &poll, &s](std::stop_token st) {
    poll.Run(st, s.poll_cut.get_token());
    MutexLock lock(&mu_);
    s.poll_done = true;
    cv_.notify_all();
  });

  Event e = WaitForEvent();
  int code = e == Event::kDrain ? Drain(s) : StopNow(s, e);
  NOJ_LOG_INFO("event=runner_stopped exit_code={}", code);
  return code;
}

int Runner::Drain(Session& s) {
  NOJ_LOG_INFO("event=drain_started jobs={} timeout_ms={}", s.tracker.size(),
               options_.drain_timeout.count());
  // Keep a little of the timeout to give back whatever is still running at the deadline.
  milliseconds reserve = std::min(milliseconds(3000), options_.drain_timeout / 5);
  auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout - reserve;
  auto left = [&deadline] {
    return std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  s.tracker.BeginDrain();  // jobs not judging yet are given back, as is any claim still to come
  s.poll.request_stop();   // no new claims; the long-poll in flight may still bring one
  {
    MutexLock lock(&mu_);
    cv_.wait_until(mu_, deadline, [&] {
      mu_.AssertHeld();
      return s.poll_done || event_ != Event::kDrain;
    });
  }
  s.poll_cut.request_stop();
  s.poll.join();
  std::stop_token stop_now = runner_stop_.get_token();
  bool empty = s.tracker.WaitUntilEmpty(left(), stop_now);
  if (!empty && !stop_now.stop_requested()) {
    NOJ_LOG_WARN("event=drain_deadline jobs={}", s.tracker.size());
    s.tracker.CancelAll(StopReason::kShutdown);
    empty = s.tracker.WaitUntilEmpty(reserve, stop_now);
  }
  Event now;
  {
    MutexLock lock(&mu_);
    now = event_;
  }
  if (!empty) {  // out of time, or escalated to stop-now / revoked: end everything
    s.tracker.CancelAll(now == Event::kRevoked ? StopReason::kServerCancel : StopReason::kShutdown);
    runner_stop_.request_stop();  // also ends the last aborts and sends
  }
  s.jobs.JoinAll();
  s.heartbeat.request_stop();
  s.heartbeat.join();
  if (now == Event::kRevoked) return kExitUnauthorized;
  return now == Event::kStopNow ? kExitStoppedNow : kExitOk;
}

int Runner::StopNow(Session& s, Event why) {
  NOJ_LOG_WARN("event=stopping_now jobs={}", s.tracker.size());
  s.tracker.CancelAll(why == Event::kRevoked ? StopReason::kServerCancel : StopReason::kShutdown);
  s.poll.request_stop();
  s.poll_cut.request_stop();
  s.poll.join();
  s.jobs.JoinAll();
  s.heartbeat.request_stop();
  s.heartbeat.join();
  return why == Event::kRevoked ? kExitUnauthorized : kExitStoppedNow;
}

}  // namespace noj::runner
