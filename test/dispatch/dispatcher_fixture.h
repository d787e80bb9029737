#pragma once
// A Dispatcher on the SQLite store in memory and a fake clock, with what it says captured: its log
// lines (spdlog's default logger is swapped for one writing to a string), the events its sink
// counted, and the broadcast messages.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "dispatch/broadcast.h"
#include "dispatch/dispatcher.h"
#include "dispatch/events.h"
#include "dispatch/forwarding_store.h"
#include "dispatch/problem_cache.h"
#include "support/fake_clock.h"

namespace noj::dispatch::testing {

// Records every event it is asked to count.
class RecordingSink final : public EventSink {
 public:
  void Count(const Event& e) override { events.push_back(e); }
  // How many events of `kind` were counted.
  int Counted(EventKind kind) const;
  // The one counted event of `kind` (a test failure unless exactly one).
  Event One(EventKind kind) const;
  std::vector<Event> events;
};

class DispatcherTest : public ::testing::Test {
 protected:
  static constexpr int kMaxAttempts = 2;
  static constexpr int64_t kLeaseTtlMs = 30'000;

  DispatcherTest();
  ~DispatcherTest() override;

  // How many log lines contain "event=<name> " (or end with "event=<name>").
  int Logged(std::string_view name) const;
  std::string Log() const { return log_.str(); }
  // The JobsAvailable / SubmissionFinal / RunnerRevoked messages published so far.
  std::vector<Message> messages;

  // A problem with one task of one case, and testdata: its id.
  int64_t Problem();
  // A registered runner's id.
  std::string Runner();
  // Enqueues a C++ submission of `problem`: its ids.
  Enqueued Submit(int64_t problem);
  // A claim that must lease a job.
  ClaimResult MustClaim(const std::string& runner);
  // One AC case for the one-task problem.
  static api::ReportedCases Accepted();

  noj::testing::FakeClock clock;
  ForwardingStore* store = nullptr;  // owned by store_
  std::unique_ptr<store::Store> store_;
  LocalBroadcast broadcast;
  std::unique_ptr<ProblemCache> problems;
  RecordingSink sink;
  std::unique_ptr<Dispatcher> dispatcher;

 private:
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace noj::dispatch::testing
