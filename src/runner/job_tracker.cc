#include "runner/job_tracker.h"

namespace noj::runner {

void JobControl::RequestStop(StopReason why) {
  StopReason none = StopReason::kNone;
  reason.compare_exchange_strong(none, why);
  stop.request_stop();
}

JobTracker::JobTracker(int slots) : slots_(slots < 1 ? 1 : slots) {}

std::shared_ptr<JobControl> JobTracker::Track(const std::string& job_id, int attempt) {
  MutexLock lock(&mu_);
  if (jobs_.contains(job_id)) return nullptr;
  auto control = std::make_shared<JobControl>();
  control->job_id = job_id;
  control->attempt = attempt;
  if (draining_) control->RequestStop(StopReason::kDrain);
  jobs_[job_id] = Job{control, Phase::kPreparing};
  cv_.notify_all();
  return control;
}

bool JobTracker::MarkStarted(const std::string& job_id) {
  MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return false;
  if (draining_) {
    it->second.control->RequestStop(StopReason::kDrain);
    return false;
  }
  it->second.phase = Phase::kJudging;
  return true;
}

void JobTracker::MarkSending(const std::string& job_id) {
  MutexLock lock(&mu_);
  if (auto it = jobs_.find(job_id); it != jobs_.end()) it->second.phase = Phase::kSending;
  cv_.notify_all();
}

void JobTracker::Untrack(const std::string& job_id) {
  MutexLock lock(&mu_);
  jobs_.erase(job_id);
  cv_.notify_all();
}

std::vector<std::string> JobTracker::ActiveIds() const {
  MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (const auto& [id, job] : jobs_) ids.push_back(id);
  return ids;
}

size_t JobTracker::size() const {
  MutexLock lock(&mu_);
  return jobs_.size();
}

int JobTracker::BusyLocked() const {
  int busy = 0;
  for (const auto& [id, job] : jobs_)
    if (job.phase != Phase::kSending) ++busy;
  return busy;
}

int JobTracker::BusySlots() const {
  MutexLock lock(&mu_);
  return BusyLocked();
}

std::vector<std::string> JobTracker::Cancel(const std::vector<std::string>& job_ids,
                                            StopReason why) {
  MutexLock lock(&mu_);
  std::vector<std::string> stopped;
  for (const auto& id : job_ids) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    it->second.control->RequestStop(why);
    stopped.push_back(id);
  }
  return stopped;
}

void JobTracker::BeginDrain() {
  MutexLock lock(&mu_);
  draining_ = true;
  for (auto& [id, job] : jobs_)
    if (job.phase == Phase::kPreparing) job.control->RequestStop(StopReason::kDrain);
  cv_.notify_all();
}

bool JobTracker::draining() const {
  MutexLock lock(&mu_);
  return draining_;
}

void JobTracker::CancelAll(StopReason why) {
  MutexLock lock(&mu_);
  for (auto& [id, job] : jobs_) job.control->RequestStop(why);
}

bool JobTracker::WaitForFreeSlot(std::stop_token stop) {
  MutexLock lock(&mu_);
  return cv_.wait(mu_, stop, [this] {
    mu_.AssertHeld();
    return BusyLocked() < slots_;
  });
}

bool JobTracker::WaitUntilEmpty(std::chrono::milliseconds timeout, std::stop_token stop) {
  MutexLock lock(&mu_);
  return cv_.wait_for(mu_, stop, timeout, [this] {
    mu_.AssertHeld();
    return jobs_.empty();
  });
}

}  // namespace noj::runner
