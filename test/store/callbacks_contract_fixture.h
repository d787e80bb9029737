#pragma once
// The fixture of the result-callback outbox's contract (store.h "result callbacks"), shared by
// store_contract_callbacks_test.cc (what writes a delivery), store_contract_deliveries_test.cc
// (leasing and finishing) and store_contract_outbox_view_test.cc (redelivery, listings, statistics,
// persistence, several nodes).

#include <string>
#include <vector>

#include "store_contract_fixture.h"

namespace noj::store::contract {

inline constexpr const char* kUrlA = "https://a.example/hook";
inline constexpr const char* kUrlB = "https://b.example/hook";
inline constexpr int64_t kDeliveryLease = 20'000;

inline std::string EventOf(const std::string& job_id) { return "msg_" + job_id; }

inline std::vector<std::string> EventIds(const std::vector<DeliveryRecord>& records) {
  std::vector<std::string> ids;
  for (const DeliveryRecord& r : records) ids.push_back(r.event_id);
  return ids;
}
inline std::vector<std::string> EventIds(const std::vector<LeasedDelivery>& leased) {
  std::vector<std::string> ids;
  for (const LeasedDelivery& l : leased) ids.push_back(l.delivery.event_id);
  return ids;
}

class CallbacksContract : public StoreContract {
 protected:
  // Enqueues a submission of problem_id_ whose results go to `url` ("" for none).
  Submitted SubmitTo(const std::string& url) {
    NewSubmission s;
    s.submission_id = NextSubmissionId();
    s.job_id = NextJobId();
    s.problem_id = problem_id_;
    s.language = 1;
    s.code = "int main() { return 0; }\n";
    s.priority = 1;
    s.requirements = {s.language, 0};
    s.callback_url = url;
    EXPECT_OK(store().Enqueue(s, Now()));
    return {s.submission_id, s.job_id};
  }
  // Claims `job_id` as `rn` and lands Accepted for it.
  void Land(const std::string& rn, const std::string& job_id) {
    ClaimOutcome c = Claim(rn);
    ASSERT_TRUE(c.job.has_value());
    ASSERT_EQ(c.job->job_id, job_id);
    ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, job_id));
    ASSERT_EQ(out, CompleteOutcome::kLanded);
  }
  // A submission to `url` with its result landed now; its event id.
  std::string Landed(const std::string& url) {
    const Submitted s = SubmitTo(url);
    Land(runner(), s.job_id);
    return EventOf(s.job_id);
  }
  // Every delivery, pending and dead, oldest first.
  std::vector<DeliveryRecord> All() {
    DeliveryFilter f;
    f.limit = 1000;
    auto got = store().ListDeliveries(f);
    EXPECT_OK(got);
    return got.value_or(std::vector<DeliveryRecord>{});
  }
  // What LeaseDeliveries hands out, whole.
  std::vector<LeasedDelivery> LeaseWithSubmissions(const std::string& owner, int limit,
                                                   int64_t lease_ms = kDeliveryLease) {
    auto got = store().LeaseDeliveries(owner, limit, lease_ms, Now());
    EXPECT_OK(got);
    return got.value_or(std::vector<LeasedDelivery>{});
  }
  // Its delivery records only.
  std::vector<DeliveryRecord> Lease(const std::string& owner, int limit,
                                    int64_t lease_ms = kDeliveryLease) {
    std::vector<DeliveryRecord> out;
    for (LeasedDelivery& l : LeaseWithSubmissions(owner, limit, lease_ms))
      out.push_back(std::move(l.delivery));
    return out;
  }
  DeliveryRecord Get(const std::string& event_id) {
    auto got = store().GetDelivery(event_id);
    EXPECT_OK(got);
    return got.value_or(DeliveryRecord{});
  }
  DeliveryStats Stats() {
    auto got = store().GetDeliveryStats(Now());
    EXPECT_OK(got);
    return got.value_or(DeliveryStats{});
  }
  Status Finish(const std::string& event_id, const std::string& owner, DeliveryAttempt::Kind kind,
                int64_t next_attempt_at = 0, const std::string& error = "") {
    DeliveryAttempt a;
    a.kind = kind;
    a.next_attempt_at = next_attempt_at;
    a.error = error;
    return store().FinishDelivery(event_id, owner, a, Now());
  }
  // Leases `event_id` alone as `owner` and ends it dead.
  void KillDelivery(const std::string& event_id, const std::string& owner = "killer") {
    std::vector<DeliveryRecord> got = Lease(owner, 1);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].event_id, event_id);
    ASSERT_OK(Finish(event_id, owner, DeliveryAttempt::Kind::kDead, 0, "HTTP 410 Gone"));
  }
  const std::string& runner() {
    if (runner_.empty()) runner_ = RegisterRunner("cb");
    return runner_;
  }

 private:
  std::string runner_;
};

}  // namespace noj::store::contract
