#pragma once
// Fakes for the runner's injected dependencies: HTTP client, sleeper, case executor.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "runner/case_executor.h"
#include "runner/client/http_client.h"
#include "runner/sleeper.h"
#include "support/fake_clock.h"

namespace noj::runner::testing {

using client::HttpRequest;
using client::HttpResponse;

inline Result<HttpResponse> Reply(int status, std::string body = "") {
  return HttpResponse{status, std::move(body)};
}

// Answers every request through `handler`; records requests. Thread-safe.
class FakeHttpClient final : public client::HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  explicit FakeHttpClient(Handler handler = nullptr) : handler_(std::move(handler)) {}
  void SetHandler(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }

  Result<HttpResponse> Send(const HttpRequest& r, std::stop_token stop) override {
    Handler h;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
      h = handler_;
    }
    if (stop.stop_requested()) return AbortedError("request cancelled");
    if (!h) return UnavailableError("no handler");
    return h(r);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Requests whose URL contains `part`.
  int Count(const std::string& part) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& r : requests_) n += r.url.find(part) != std::string::npos;
    return n;
  }

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

// Records each requested sleep, never waits; moves `clock` (if any) forward by the duration.
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(noj::testing::FakeClock* clock = nullptr) : clock_(clock) {}

  bool SleepFor(std::chrono::milliseconds d, std::stop_token stop) override {
    std::function<void()> hook;
    {
      std::lock_guard lock(mu_);
      sleeps_.push_back(d.count());
      hook = on_sleep_;
    }
    if (clock_ != nullptr) clock_->Advance(d.count());
    if (hook) hook();
    return !stop.stop_requested();
  }

  // Called after each recorded sleep (e.g. to stop a loop after N sleeps).
  void OnSleep(std::function<void()> hook) {
    std::lock_guard lock(mu_);
    on_sleep_ = std::move(hook);
  }
  std::vector<int64_t> sleeps() const {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  noj::testing::FakeClock* clock_;
  mutable std::mutex mu_;
  std::vector<int64_t> sleeps_;
  std::function<void()> on_sleep_;
};

// Answers each run through `handler`, which may write the stdout/stderr files. Thread-safe.
class FakeExecutor final : public CaseExecutor {
 public:
  using Handler = std::function<sandbox::RunResult(const sandbox::RunRequest&)>;
  explicit FakeExecutor(Handler handler) : handler_(std::move(handler)) {}

  sandbox::RunResult Execute(const sandbox::RunRequest& r, std::stop_token stop) override {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(r);
    }
    if (stop.stop_requested()) return sandbox::SandboxError("cancelled");
    return handler_(r);
  }
  std::vector<sandbox::RunRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  Handler handler_;
  mutable std::mutex mu_;
  std::vector<sandbox::RunRequest> requests_;
};

inline sandbox::RunResult Ok(int64_t cpu_ms = 5, int64_t mem = 1024) {
  sandbox::RunResult r;
  r.verdict = sandbox::Verdict::kOk;
  r.cpu_ms = cpu_ms;
  r.wall_ms = cpu_ms + 1;
  r.memory_kib = mem;
  return r;
}

inline sandbox::RunResult WithVerdict(sandbox::Verdict v, int exit_code = 0, int signal = 0) {
  sandbox::RunResult r = Ok();
  r.verdict = v;
  r.exit_code = exit_code;
  r.signal = signal;
  if (v == sandbox::Verdict::kSe) r.error = "boom";
  return r;
}

}  // namespace noj::runner::testing
