#include "chaos/callbacks_check.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "integration/http_client.h"

namespace noj::chaos {

std::string CallbackFigures::SummaryLine(const std::string& store) const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "chaos callbacks store=%s delivered=%d distinct_received=%d repeats=%d "
                "missing=%d extra=%d pending=%d dead=%d",
                store.c_str(), delivered_total, distinct, repeats, missing, extra, pending, dead);
  return buf;
}

CallbackFigures VerifyCallbacks(const ChaosCluster& cluster, const Workload& workload,
                                int timeout_s, Figures& f) {
  CallbackFigures c;
  testing::HttpClient http(cluster.base_url());
  auto problem = [&f](const std::string& s) {
    if (f.problems.size() < 40) f.problems.push_back(s);
  };
  auto count = [](const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_int64() ? static_cast<int>(v->as_int64()) : -1;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    if (auto v = GetObject(http, cluster.api_auth(), "/callbacks?limit=20")) {
      c.pending = count(*v, "pending");
      c.dead = count(*v, "dead");
      c.delivered_total = count(*v, "delivered_total");
      if (c.pending == 0) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      problem("callbacks: the outbox did not empty in " + std::to_string(timeout_s) + " s");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::map<std::string, int> by_id;  // accepted POSTs per event id
  std::set<std::string> reached;     // submissions with an accepted event
  for (const testing::CallbackReceiver::Event& e : cluster.receiver().Events()) {
    ++by_id[e.id];
    reached.insert(e.submission_id);
  }
  c.distinct = static_cast<int>(by_id.size());
  for (const auto& [id, n] : by_id) c.repeats += n - 1;
  for (const std::string& sid : ListSubmissions(cluster, workload, problem))
    if (!reached.count(sid)) {
      ++c.missing;
      problem("callbacks: no event reached the receiver for " + sid);
    }
  c.extra = c.distinct - c.delivered_total;
  if (c.extra != 0)
    problem("callbacks: " + std::to_string(c.distinct) +
            " distinct events received, the store "
            "counts " +
            std::to_string(c.delivered_total) + " delivered");
  return c;
}

}  // namespace noj::chaos
