#include "server/metrics/server_metrics.h"

#include <gtest/gtest.h>

#include "support/prometheus_text.h"

namespace noj::server {
namespace {

using testing::Exposition;
using testing::ParseExposition;

Exposition Scrape(ServerMetrics& m, const StoreSnapshot& snap = {}) {
  std::string error;
  auto e = ParseExposition(m.Render(snap), &error);
  EXPECT_TRUE(e.has_value()) << error;
  return e.value_or(Exposition{});
}

TEST(ServerMetricsTest, FreshRegistryHasEveryFamilyAtZero) {
  ServerMetrics m;
  Exposition e = Scrape(m);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="AC")"), 0);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="OLE")"), 0);
  EXPECT_EQ(e.Get("noj_lease_conflicts_total", R"(endpoint="complete")"), 0);
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="reclaimed")"), 0);
  EXPECT_EQ(e.Get("noj_stale_results_dropped_total"), 0);
  EXPECT_EQ(e.Get("noj_store_up"), 0);  // the default snapshot is "store did not answer"
  EXPECT_EQ(e.types["noj_judge_latency_seconds"], "histogram");
  EXPECT_EQ(e.types["noj_store_up"], "gauge");
  EXPECT_FALSE(e.Get("noj_jobs_leased"));  // no store figure before the store answered once
}

TEST(ServerMetricsTest, DispatcherEventsAreCountedByKindAndJudgeErrorsByReason) {
  ServerMetrics m;
  dispatch::EventSink& sink = m;
  dispatch::Event claimed{.kind = dispatch::EventKind::kClaimed, .attempt = 1};
  claimed.latency_ms = 100;
  sink.Count(claimed);
  dispatch::Event landed{.kind = dispatch::EventKind::kLanded, .attempt = 1};
  landed.verdict = api::Verdict::kWA;
  sink.Count(landed);
  dispatch::Event je{.kind = dispatch::EventKind::kJudgeError, .attempt = 3};
  je.je_reason = dispatch::JeReason::kExhausted;
  sink.Count(je);
  je.je_reason = dispatch::JeReason::kCorrupt;
  je.attempt = 0;
  sink.Count(je);
  dispatch::Event conflict{.kind = dispatch::EventKind::kLeaseConflict};
  conflict.endpoint = dispatch::Endpoint::kAbort;
  sink.Count(conflict);
  sink.Count(dispatch::Event{.kind = dispatch::EventKind::kEnqueued});  // logged only
  Exposition e = Scrape(m);
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="fresh")"), 1);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="WA")"), 1);
  // Exhausted counts JE at the maximum of attempts only; every JE is counted by its reason.
  EXPECT_EQ(e.Get("noj_exhausted_total"), 1);
  EXPECT_EQ(e.Get("noj_judge_errors_given_total", R"(reason="exhausted")"), 1);
  EXPECT_EQ(e.Get("noj_judge_errors_given_total", R"(reason="corrupt")"), 1);
  EXPECT_EQ(e.Get("noj_lease_conflicts_total", R"(endpoint="abort")"), 1);
  // Attempts: 1 from the result, 3 from the exhausted JE; the corrupt JE's are unknown.
  EXPECT_EQ(e.Get("noj_job_attempts_count"), 2);
}

TEST(ServerMetricsTest, EventsAreCounted) {
  ServerMetrics m;
  m.OnClaim(false, 1, 250);
  m.OnClaim(true, 2, 90'000);  // a reclaim's wait is not a queue latency
  m.OnLanded(api::Verdict::kWA, 2, 1'500);
  m.OnLanded(api::Verdict::kAC, 1, -1);  // judge latency unknown: not observed
  m.OnExhausted(2, 3);
  m.OnExhausted(0, 3);
  m.OnStaleDropped();
  m.OnLeaseConflict("complete");
  m.OnLeaseConflict("abort");
  m.OnLeaseConflict("abort");
  m.OnHttp("GET", "/runners/{rn}/next-job", 204, 0.002);
  m.OnHttp("GET", "/runners/{rn}/next-job", 204, 3.0);
  m.OnHttp("PUT", "/runners/{rn}/jobs/{jb}/complete", 409, 0.001);

  Exposition e = Scrape(m);
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="fresh")"), 1);
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="reclaimed")"), 1);
  EXPECT_EQ(e.Get("noj_queue_latency_seconds_count"), 1);
  EXPECT_DOUBLE_EQ(*e.Get("noj_queue_latency_seconds_sum"), 0.25);
  EXPECT_EQ(e.Get("noj_queue_latency_seconds_bucket", R"(le="0.1")"), 0);
  EXPECT_EQ(e.Get("noj_queue_latency_seconds_bucket", R"(le="0.5")"), 1);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="WA")"), 1);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="AC")"), 1);
  EXPECT_EQ(e.Get("noj_judge_latency_seconds_count"), 1);
  EXPECT_EQ(e.Get("noj_exhausted_total"), 2);
  // Attempts: 2 and 1 from results, 3 and 3 from the exhausted pair.
  EXPECT_EQ(e.Get("noj_job_attempts_count"), 4);
  EXPECT_EQ(e.Get("noj_job_attempts_sum"), 9);
  EXPECT_EQ(e.Get("noj_job_attempts_bucket", R"(le="2")"), 2);
  EXPECT_EQ(e.Get("noj_stale_results_dropped_total"), 1);
  EXPECT_EQ(e.Get("noj_lease_conflicts_total", R"(endpoint="abort")"), 2);
  EXPECT_EQ(e.Get("noj_http_requests_total",
                  R"(method="GET",route="/runners/{rn}/next-job",status="204")"),
            2);
  EXPECT_EQ(e.Sum("noj_http_requests_total", {{"status", "409"}}), 1);
  EXPECT_EQ(e.Get("noj_http_request_duration_seconds_bucket",
                  R"(le="0.0025",method="GET",route="/runners/{rn}/next-job",status="204")"),
            1);
}

TEST(ServerMetricsTest, StoreFiguresFollowTheStore) {
  ServerMetrics m;
  StoreSnapshot snap;
  snap.ok = true;
  snap.now_ms = 100'000;
  snap.queue.pending[0] = 2;
  snap.queue.pending[2] = 5;
  snap.queue.leased = 3;
  snap.queue.oldest_pending_enqueued_at = 40'000;
  snap.queue.reclaimed_total = 4;
  snap.queue.judge_error_total = 1;
  snap.runners_registered = 3;
  snap.runners_alive = 2;
  Exposition e = Scrape(m, snap);
  EXPECT_EQ(e.Get("noj_store_up"), 1);
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="0")"), 2);
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="1")"), 0);
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="2")"), 5);
  EXPECT_EQ(e.Get("noj_jobs_leased"), 3);
  EXPECT_EQ(e.Get("noj_oldest_pending_age_seconds"), 60);
  EXPECT_EQ(e.Get("noj_reclaims_total"), 4);
  EXPECT_EQ(e.Get("noj_judge_errors_total"), 1);
  EXPECT_EQ(e.Get("noj_runners", R"(state="registered")"), 3);
  EXPECT_EQ(e.Get("noj_runners", R"(state="alive")"), 2);

  // Totals only move up with the store; a store that answers nothing keeps the last figures.
  snap.queue.reclaimed_total = 7;
  snap.queue.oldest_pending_enqueued_at = 0;
  e = Scrape(m, snap);
  EXPECT_EQ(e.Get("noj_reclaims_total"), 7);
  EXPECT_EQ(e.Get("noj_oldest_pending_age_seconds"), 0);
  snap.queue.reclaimed_total = 1;
  e = Scrape(m, snap);
  EXPECT_EQ(e.Get("noj_reclaims_total"), 7);
  StoreSnapshot down;
  e = Scrape(m, down);
  EXPECT_EQ(e.Get("noj_store_up"), 0);
}

// judging.md §5: what waits per requirement class, and whether a runner can take it.
TEST(ServerMetricsTest, PerClassSeriesFollowTheQueueAndGoWithTheirClass) {
  ServerMetrics m;
  StoreSnapshot snap;
  snap.ok = true;
  snap.now_ms = 100'000;
  snap.classes = {{{1, api::kFeatureChecker}, "1:1", "C++ + checker", 12, 30'000, 0},
                  {{2, 0}, "2:0", "Python 3", 1, 500, 3}};
  Exposition e = Scrape(m, snap);
  EXPECT_EQ(e.Get("noj_class_jobs_pending", R"(class="1:1",label="C++ + checker")"), 12);
  EXPECT_EQ(e.Get("noj_class_oldest_pending_age_seconds", R"(class="1:1",label="C++ + checker")"),
            30);
  EXPECT_EQ(e.Get("noj_class_runners_able", R"(class="1:1",label="C++ + checker")"), 0);
  EXPECT_EQ(e.Get("noj_class_runners_able", R"(class="2:0",label="Python 3")"), 3);
  // The C++ + checker jobs were taken: its series are gone, not left at their last value.
  snap.classes.erase(snap.classes.begin());
  e = Scrape(m, snap);
  EXPECT_FALSE(e.Get("noj_class_jobs_pending", R"(class="1:1",label="C++ + checker")"));
  EXPECT_FALSE(e.Get("noj_class_runners_able", R"(class="1:1",label="C++ + checker")"));
  EXPECT_EQ(e.Get("noj_class_jobs_pending", R"(class="2:0",label="Python 3")"), 1);
}

TEST(PrometheusTextTest, RejectsWhatPrometheusRejects) {
  std::string error;
  EXPECT_FALSE(ParseExposition("1bad 1\n", &error));
  EXPECT_FALSE(ParseExposition("a{b=c} 1\n", &error));
  EXPECT_FALSE(ParseExposition("a{b=\"c\"} x\n", &error));
  EXPECT_FALSE(ParseExposition("a 1", &error));  // no final newline
  EXPECT_FALSE(ParseExposition("# TYPE a counter\na -1\n", &error));
  EXPECT_FALSE(ParseExposition("a 1\nb 1\na 2\n", &error));  // not contiguous / duplicate
  EXPECT_TRUE(ParseExposition("# HELP a x\n# TYPE a gauge\na{b=\"q\\\"\"} 1.5e3\n", &error))
      << error;
}

}  // namespace
}  // namespace noj::server
