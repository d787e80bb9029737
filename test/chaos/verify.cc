#include "chaos/verify.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>

#include "integration/http_client.h"
#include "runner/fake_judge.h"

namespace noj::chaos {

namespace bj = boost::json;
using namespace std::chrono_literals;

std::optional<bj::object> GetObject(testing::HttpClient& http, const std::string& auth,
                                    const std::string& path, int* status) {
  for (int i = 0; i < 20; ++i) {
    auto r = http.Send("GET", path, "", {auth}, 10000);
    if (status != nullptr) *status = r.status;
    if (r.status == 200) {
      boost::system::error_code ec;
      bj::value v = bj::parse(r.body, ec);
      if (ec || !v.is_object()) return std::nullopt;
      return v.as_object();
    }
    if (r.status != 0 && r.status < 500) return std::nullopt;
    std::this_thread::sleep_for(200ms);
  }
  return std::nullopt;
}

namespace {

int64_t Int(const bj::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<int64_t>() : -1000;
}

// The value after "key=" in a log line, up to the next space.
std::string Field(const std::string& line, const std::string& key) {
  size_t at = line.find(" " + key + "=");
  if (at == std::string::npos) return "";
  at += key.size() + 2;
  size_t end = line.find_first_of(" \n\"", at);
  return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

template <typename F>
void ForEachLine(const std::string& text, F&& f) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) f(line);
}

// Every log line of nojd's and the runners' that names one of `sid`'s jobs (or `sid`), in order
// per log, each log under a header.
std::string History(const ChaosCluster& cluster, const std::string& sid) {
  std::set<std::string> jobs;
  std::string nojd = cluster.NojdLog();
  ForEachLine(nojd, [&](const std::string& line) {
    if (line.find("submission=" + sid) != std::string::npos) jobs.insert(Field(line, "job"));
  });
  jobs.erase("");
  auto mentions = [&](const std::string& line) {
    if (line.find(sid) != std::string::npos) return true;
    for (const auto& j : jobs)
      if (line.find(j) != std::string::npos) return true;
    return false;
  };
  std::string out = "history of " + sid + "\n nojd:\n";
  ForEachLine(nojd, [&](const std::string& line) {
    if (mentions(line)) out += "  " + line + "\n";
  });
  int n = 0;
  for (const std::string& log : cluster.RunnerLogs()) {
    std::string part;
    ForEachLine(log, [&](const std::string& line) {
      if (mentions(line)) part += "  " + line + "\n";
    });
    if (!part.empty()) out += " runner incarnation " + std::to_string(n) + ":\n" + part;
    ++n;
  }
  return out;
}

struct Snapshot {
  int64_t status = -1, score = -1, attempts = -1, judged_at = -1;
  size_t tasks = 0;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Snap(const bj::object& o) {
  Snapshot s;
  s.status = Int(o, "status");
  s.score = Int(o, "score");
  s.attempts = Int(o, "attempts");
  s.judged_at = Int(o, "judged_at");
  if (auto* t = o.if_contains("tasks"); t != nullptr && t->is_array())
    s.tasks = t->as_array().size();
  return s;
}

}  // namespace

std::string Figures::SummaryLine() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "chaos store=%s submissions=%d kills_nojd=%d kills_runner=%d kills_redis=%d "
                "lost=%d duplicates=%d wrong=%d je_forced=%d",
                store.c_str(), submissions, kills_nojd, kills_runner, kills_redis, lost, duplicates,
                wrong, je_forced);
  return buf;
}

std::string Figures::AttemptsHistogram() const {
  std::string out;
  for (const auto& [n, count] : attempts)
    out += (out.empty() ? "" : ",") + std::to_string(n) + ":" + std::to_string(count);
  return out;
}

std::set<std::string> ListSubmissions(const ChaosCluster& cluster, const Workload& workload,
                                      const std::function<void(const std::string&)>& problem) {
  testing::HttpClient http(cluster.base_url());
  std::set<std::string> listed;
  for (const auto& p : workload.problems) {
    std::string before;
    for (int page = 0; page < 1000; ++page) {
      std::string path = "/submissions?problem_id=" + std::to_string(p.id) + "&limit=500" +
                         (before.empty() ? "" : "&before=" + before);
      auto o = GetObject(http, cluster.api_auth(), path);
      if (!o) {
        problem("cannot list " + path);
        break;
      }
      for (const auto& s : o->at("submissions").as_array())
        listed.insert(std::string(s.as_object().at("submission_id").as_string()));
      if (!o->at("next_before").is_string()) break;
      before = std::string(o->at("next_before").as_string());
    }
  }
  return listed;
}

std::map<std::string, int> ClientLanded(const ChaosCluster& cluster,
                                        const std::map<std::string, int>& rogue_landed) {
  std::map<std::string, int> landed = rogue_landed;
  for (const std::string& log : cluster.RunnerLogs()) {
    std::map<std::string, std::string> job_sid;
    ForEachLine(log, [&](const std::string& line) {
      if (line.find("event=job_claimed ") != std::string::npos)
        job_sid[Field(line, "job")] = Field(line, "submission");
      if (line.find("event=result_sent ") != std::string::npos &&
          Field(line, "outcome") == "landed")
        ++landed[job_sid[Field(line, "job")]];
    });
  }
  return landed;
}

bool WaitForQuiet(ChaosCluster& cluster, int timeout_s, Figures& f) {
  testing::HttpClient http(cluster.base_url());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int quiet = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    f.crash_restarts += cluster.RestartExitedRunners();
    auto q = GetObject(http, cluster.api_auth(), "/queue");
    // Twice in a row: a job given back between two reads is pending again on the next one.
    quiet = q && Int(*q, "pending_total") == 0 && Int(*q, "leased") == 0 ? quiet + 1 : 0;
    if (quiet >= 2) return true;
    std::this_thread::sleep_for(500ms);
  }
  return false;
}

void VerifyAll(const ChaosCluster& cluster, const Workload& workload,
               const std::map<std::string, int>& rogue_landed, Figures& f) {
  testing::HttpClient http(cluster.base_url());
  const std::string auth = cluster.api_auth();
  auto problem = [&f](const std::string& s) {
    if (f.problems.size() < 40) f.problems.push_back(s);
  };

  // Every submission the store has, per problem.
  std::set<std::string> listed = ListSubmissions(cluster, workload, problem);

  // Who landed what, from the logs: nojd's "event=landed … submission=", and the runners'
  // "event=job_claimed job= submission=" + "event=result_sent job= … outcome=landed".
  // The handler logs a landing once the store has answered (after COMMIT); the stores log no
  // dispatch events from inside their transitions, where a kill could precede the commit.
  std::map<std::string, int> server_landed, client_landed = ClientLanded(cluster, rogue_landed);
  ForEachLine(cluster.NojdLog(), [&](const std::string& line) {
    if (line.find("event=landed ") != std::string::npos &&
        line.find(" score=") != std::string::npos)
      ++server_landed[Field(line, "submission")];
  });

  // Expected outcome per submission id: the known ones, then twins matched by source hash.
  std::map<std::string, int> expected = workload.Known();
  std::map<std::string, int> by_hash;
  for (const auto& s : workload.specs) by_hash[runner::FakeSourceHash(s.code)] = s.index;
  std::map<int, int> uncertain = workload.UncertainPosts();

  std::map<std::string, Snapshot> first;
  for (const auto& [sid, idx] : expected)
    if (!listed.count(sid)) {
      ++f.lost;
      problem("lost: " + sid + " (spec " + std::to_string(idx) + ") is not in the store");
    }
  for (const std::string& sid : listed) {
    int status = 0;
    auto o = GetObject(http, auth, "/submissions/" + sid, &status);
    if (!o) {
      ++f.lost;
      problem("lost: GET " + sid + " answered " + std::to_string(status));
      continue;
    }
    Snapshot snap = Snap(*o);
    first[sid] = snap;
    if (snap.status < 0) {
      ++f.lost;
      problem("lost: " + sid + " has no final status (" + std::to_string(snap.status) + ")");
      continue;
    }
    std::optional<int> idx;
    if (auto it = expected.find(sid); it != expected.end()) idx = it->second;
    // The last case's stdout: which code the stored result was made for, and by whom.
    std::string out;
    const auto* tasks = o->if_contains("tasks");
    if (tasks != nullptr && tasks->is_array() && !tasks->as_array().empty()) {
      const auto& last = tasks->as_array().back().as_object();
      size_t t = tasks->as_array().size() - 1;
      size_t c = last.at("cases").as_array().size() - 1;
      auto cases = GetObject(
          http, auth,
          "/submissions/" + sid + "/cases/" + std::to_string(t) + "/" + std::to_string(c));
      if (cases && cases->at("stdout").is_string())
        out = std::string(cases->at("stdout").as_string());
    }
    if (!idx) {  // a twin from a POST whose answer was lost
      size_t at = out.find("src=");
      if (at != std::string::npos) {
        auto it = by_hash.find(out.substr(at + 4, 16));
        if (it != by_hash.end() && uncertain[it->second] > 0) {
          --uncertain[it->second];
          idx = it->second;
        }
      }
      if (!idx) {
        // A forced-JE twin has no cases to tell its code; accept it against an uncertain POST
        // of forced-JE code.
        for (auto& [i, n] : uncertain)
          if (n > 0 && workload.specs[static_cast<size_t>(i)].forced_je && snap.status == 6 &&
              snap.tasks == 0) {
            --n;
            idx = i;
            break;
          }
      }
      if (!idx) {
        ++f.wrong;
        problem("unknown submission " + sid + " (no POST of ours is unaccounted for)");
        continue;
      }
      ++f.twins;
    }
    ++f.submissions;
    const SubmissionSpec& spec = workload.specs[static_cast<size_t>(*idx)];
    std::string what = sid + " (spec " + std::to_string(spec.index) + ")";
    if (spec.forced_je) {
      if (snap.status == 6 && snap.tasks == 0)
        ++f.je_forced;
      else {
        ++f.wrong;
        problem("wrong: " + what + " should be JE by exhaustion, is status " +
                std::to_string(snap.status));
      }
      continue;
    }
    ++f.attempts[snap.attempts];
    if (snap.attempts >= kHistoryAttempts && f.histories.size() < 10)
      f.histories.push_back(History(cluster, sid));
    std::string want = "verdict=" + std::string(api::VerdictName(spec.verdict)) +
                       " src=" + runner::FakeSourceHash(spec.code);
    if (snap.status != static_cast<int>(spec.verdict) || snap.score != spec.score ||
        snap.tasks == 0 || out.find(want) == std::string::npos) {
      ++f.wrong;
      if (f.histories.size() < 10) f.histories.push_back(History(cluster, sid));
      problem("wrong: " + what + " status=" + std::to_string(snap.status) +
              " score=" + std::to_string(snap.score) + " tasks=" + std::to_string(snap.tasks) +
              " attempts=" + std::to_string(snap.attempts) +
              " want status=" + std::to_string(static_cast<int>(spec.verdict)) +
              " score=" + std::to_string(spec.score) + " stdout=\"" + out.substr(0, 120) + "\"");
    }
  }

  // Landed once: by the server's log, by the clients' 204s, and by the result staying put.
  std::set<std::string> dup;
  for (const auto& [sid, n] : server_landed)
    if (n > 1) {
      dup.insert(sid);
      problem("duplicate: nojd logged " + std::to_string(n) + " landings for " + sid);
    }
  for (const auto& [sid, n] : client_landed)
    if (n > 1 && !sid.empty()) {
      dup.insert(sid);
      problem("duplicate: clients got " + std::to_string(n) + " 204s for " + sid);
    }
  std::this_thread::sleep_for(std::chrono::seconds(cluster.options().lease_ttl_s + 1));
  for (const auto& [sid, snap] : first) {
    auto o = GetObject(http, auth, "/submissions/" + sid);
    if (o && !(Snap(*o) == snap)) {
      dup.insert(sid);
      problem("duplicate: the result of " + sid + " changed after it was final");
    }
  }
  f.duplicates = static_cast<int>(dup.size());

  auto q = GetObject(http, auth, "/queue");
  f.queue_empty = q && Int(*q, "pending_total") == 0 && Int(*q, "leased") == 0;
  if (!f.queue_empty) problem("the queue is not empty: " + (q ? bj::serialize(*q) : "no answer"));
}

}  // namespace noj::chaos
