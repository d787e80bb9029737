// Hostile and malformed requests: each gets the error envelope with the right status and changes
// nothing (the queue and submissions are compared before and after).

#include <fstream>
#include <map>

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using BadInput = NojdTest;

struct Case {
  std::string method, path, body;
  std::vector<std::string> headers;
  int status;
};

// The table lives in bad_inputs.tsv (one request per row); see its header for the columns.
std::vector<Case> LoadTable(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<Case> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cols.push_back(line.substr(start, tab - start));
    cols.push_back(line.substr(start));
    EXPECT_EQ(cols.size(), 5u) << line;
    if (cols.size() != 5) continue;
    Case c{cols[0], cols[1], cols[3], {}, std::stoi(cols[4])};
    size_t h = 0;
    while (h <= cols[2].size() && !cols[2].empty()) {
      size_t semi = cols[2].find(';', h);
      if (semi == std::string::npos) semi = cols[2].size();
      std::string header = cols[2].substr(h, semi - h);
      if (!header.empty() && header != " ") c.headers.push_back(header);
      h = semi + 1;
    }
    rows.push_back(std::move(c));
  }
  return rows;
}

std::string Substitute(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [key, value] : vars)
    for (size_t at; (at = s.find(key)) != std::string::npos;) s.replace(at, key.size(), value);
  // \xNN escapes let the table carry bytes that are not text.
  for (size_t at; (at = s.find("\\x")) != std::string::npos;)
    s.replace(at, 4, 1, static_cast<char>(std::stoi(s.substr(at + 2, 2), nullptr, 16)));
  return s;
}

TEST_F(BadInput, EveryRowGetsTheEnvelopeAndChangesNothing) {
  RunnerCreds rc = Register(), other = Register("other");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string held_sid = Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  std::string sid = Submit(pid);
  std::map<std::string, std::string> vars = {{"{API}", ApiAuth()},
                                             {"{RUNNER}", rc.auth()},
                                             {"{OTHER}", other.auth()},
                                             {"{RN}", "/runners/" + rc.id},
                                             {"{SID}", sid},
                                             {"{PID}", std::to_string(pid)},
                                             {"{JB}", jb}};
  auto snapshot = [&] {
    auto q = Json(Api("GET", "/queue")).as_object();
    q.erase("oldest_pending_age_ms");  // grows with time
    return bj::serialize(q) + Api("GET", "/submissions/" + sid).body +
           Api("GET", "/submissions/" + held_sid).body + Api("GET", "/runners").body;
  };
  std::string before = snapshot();
  std::vector<Case> rows = LoadTable(BAD_INPUTS_TSV);
  EXPECT_GE(rows.size(), 60u);
  for (Case c : rows) {
    c.path = Substitute(c.path, vars);
    c.body = c.body == "@big" ? std::string(5000, '{') : Substitute(c.body, vars);
    for (auto& h : c.headers) h = Substitute(h, vars);
    SCOPED_TRACE(c.method + " " + c.path + " " + c.body.substr(0, 80));
    ExpectErrorEnvelope(http_->Send(c.method, c.path, c.body, c.headers), c.status);
  }
  // Every row fails before any transition: not even a runner's last_seen moves.
  EXPECT_EQ(snapshot(), before);
}

class SmallBodies : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override { return {"--max-body", "4096"}; }
};

TEST_F(SmallBodies, OversizeBodyIs413) {
  ExpectErrorEnvelope(Api("POST", "/problems", std::string(10000, ' ')), 413);
  // The server is still fine afterwards.
  EXPECT_EQ(http_->Get("/healthz").status, 200);
}

}  // namespace
}  // namespace noj::testing
