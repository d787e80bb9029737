#include "chaos/durability.h"

#include <boost/json.hpp>

#include "integration/http_client.h"

namespace noj::chaos {

Acks SeenAcks(const ChaosCluster& cluster, const Workload& workload,
              const std::map<std::string, int>& rogue_landed) {
  Acks acks;
  for (const auto& [sid, index] : workload.Known()) acks.created.insert(sid);
  for (const auto& [sid, n] : ClientLanded(cluster, rogue_landed))
    if (n > 0 && !sid.empty()) acks.completed.insert(sid);
  return acks;
}

void CheckAcksDurable(const ChaosCluster& cluster, const Workload& workload, const Acks& acks,
                      Figures& f) {
  auto problem = [&f](const std::string& s) {
    if (f.problems.size() < 40) f.problems.push_back(s);
  };
  ++f.ack_checks;
  f.acks_created = static_cast<int>(acks.created.size());
  f.acks_completed = static_cast<int>(acks.completed.size());
  const std::set<std::string> listed = ListSubmissions(cluster, workload, problem);
  for (const std::string& sid : acks.created)
    if (!listed.count(sid)) {
      ++f.acks_lost;
      problem("durability: " + sid + " was answered 201 before a SIGKILL of nojd, and is gone");
    }
  testing::HttpClient http(cluster.base_url());
  for (const std::string& sid : acks.completed) {
    int status = 0;
    auto o = GetObject(http, cluster.api_auth(), "/submissions/" + sid, &status);
    const auto* final_status = o ? o->if_contains("status") : nullptr;
    if (final_status == nullptr || !final_status->is_number() ||
        final_status->to_number<int64_t>() < 0) {
      ++f.acks_lost;
      problem("durability: a completion of " + sid +
              " was answered 204 before a SIGKILL of nojd, and the submission is not final (GET " +
              std::to_string(status) + ")");
    }
  }
}

}  // namespace noj::chaos
