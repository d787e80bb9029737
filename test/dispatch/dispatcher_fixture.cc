#include "dispatch/dispatcher_fixture.h"

#include "store/sqlite/sqlite_store.h"

namespace noj::dispatch::testing {

int RecordingSink::Counted(EventKind kind) const {
  int n = 0;
  for (const Event& e : events) n += e.kind == kind;
  return n;
}

Event RecordingSink::One(EventKind kind) const {
  EXPECT_EQ(Counted(kind), 1) << "events of kind " << EventName(kind);
  for (const Event& e : events)
    if (e.kind == kind) return e;
  return Event{};
}

DispatcherTest::DispatcherTest() {
  previous_ = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(log_));
  logger->set_level(spdlog::level::debug);
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  auto sqlite = store::sqlite::OpenSqliteStore(":memory:");
  EXPECT_TRUE(sqlite.ok()) << sqlite.status().ToString();
  auto forwarding = std::make_unique<ForwardingStore>(std::move(sqlite).value());
  store = forwarding.get();
  store_ = std::move(forwarding);
  problems = std::make_unique<ProblemCache>(*store_);
  broadcast.Subscribe([this](const Message& m) { messages.push_back(m); });
  DispatchConfig config;
  config.lease_ttl_ms = kLeaseTtlMs;
  config.max_attempts = kMaxAttempts;
  dispatcher = std::make_unique<Dispatcher>(*store_, clock, config, *problems, broadcast, sink);
}

DispatcherTest::~DispatcherTest() { spdlog::set_default_logger(previous_); }

int DispatcherTest::Logged(std::string_view name) const {
  const std::string needle = "event=" + std::string(name);
  std::istringstream in(log_.str());
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    size_t at = line.find(needle);
    if (at == std::string::npos) continue;
    size_t end = at + needle.size();
    if (end == line.size() || line[end] == ' ') ++n;
  }
  return n;
}

int64_t DispatcherTest::Problem() {
  auto id = store_->CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, clock.NowMs());
  EXPECT_TRUE(id.ok());
  EXPECT_TRUE(store_->PutTestdata(*id, "zip bytes", "checksum", false, clock.NowMs()).ok());
  return *id;
}

std::string DispatcherTest::Runner() {
  auto r = dispatcher->Register(Registration{"runner", "", {}});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r->runner_id;
}

Enqueued DispatcherTest::Submit(int64_t problem) {
  auto e = dispatcher->Enqueue(SubmitRequest{problem, 1, "int main(){}", 1});
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return *e;
}

ClaimResult DispatcherTest::MustClaim(const std::string& runner) {
  auto c = dispatcher->Claim(runner, {}, /*arrival=*/false);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->kind, ClaimKind::kLeased);
  return *c;
}

api::ReportedCases DispatcherTest::Accepted() {
  api::CaseResult ac;
  ac.status = api::Verdict::kAC;
  return {{ac}};
}

}  // namespace noj::dispatch::testing
