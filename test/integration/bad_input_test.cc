// Hostile and malformed requests: each gets the error envelope with the right status and changes
// nothing (the queue and submissions are compared before and after).

#include <fstream>
#include <map>
#include <set>

#include "common/zip_archive.h"
#include "integration/nojd_fixture.h"
#include "support/zip_forge.h"

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

// A package for a one-task, one-case problem that breaks one rule of judging.md §1 ("@zip:NAME").
std::string BadPackage(const std::string& name) {
  static const std::set<std::string> kKnown = {"traversal",
                                               "absolute",
                                               "symlink",
                                               "both_formats",
                                               "two_checker_sources",
                                               "checker_not_custom",
                                               "no_checker_source",
                                               "huge_entry",
                                               "interactive_context_io",
                                               "stray_file"};
  EXPECT_TRUE(kKnown.contains(name)) << "no package called " << name;
  std::vector<zip::Entry> entries = {{"0000.in", "1 2\n"}, {"0000.out", "3\n"}};
  const std::vector<zip::Entry> context = {{"test-case/0000/STDIN", "1 2\n"},
                                           {"test-case/0000/STDOUT", "3\n"}};
  if (name == "traversal") entries.push_back({"../x", "escape"});
  if (name == "absolute") entries.push_back({"/etc/cron.d/x", "escape"});
  if (name == "symlink") entries.push_back({"share/passwd", "/etc/passwd", /*is_link=*/true});
  if (name == "both_formats") entries.insert(entries.end(), context.begin(), context.end());
  if (name == "two_checker_sources") {
    entries.push_back({"checker/checker.c", "int main(){}"});
    entries.push_back({"checker/checker.cpp", "int main(){}"});
  }
  if (name == "checker_not_custom") entries.push_back({"checker/checker.cpp", "int main(){}"});
  if (name == "no_checker_source") entries.push_back({"checker/testlib.h", "// testlib"});
  if (name == "huge_entry") entries.push_back({"share/big", std::string(4096, '\0')});
  if (name == "interactive_context_io") {
    entries = context;
    entries.push_back({"interactor/interactor.cpp", "int main(){}"});
  }
  if (name == "stray_file") entries.push_back({"notes.txt", "x"});
  auto z = zip::Build(entries);
  EXPECT_TRUE(z.ok()) << name;
  if (!z.ok()) return "";
  // 300 MiB declared, a few bytes of deflate: the bound is checked on what the zip declares.
  if (name == "huge_entry") {
    std::string forged = noj::testing::WithDeclaredSize(*z, "share/big", 300u << 20);
    EXPECT_FALSE(forged.empty()) << "could not forge the declared size";
    return forged;
  }
  return *z;
}

TEST_F(BadInput, EveryRowGetsTheEnvelopeAndChangesNothing) {
  RunnerCreds rc = Register(), other = Register("other");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  const std::string one_task =
      R"("tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}])";
  auto create = [&](const std::string& meta) {
    auto r = Api("POST", "/problems", R"({"title":"meta",)" + one_task + "," + meta + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(Json(r).as_object().at("problem_id").as_int64());
  };
  const std::string cpid = create(R"("checker":{"type":"custom"})");
  const std::string ipid = create(R"("interactive":true)");
  std::string held_sid = Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  std::string sid = Submit(pid);
  std::map<std::string, std::string> vars = {{"{API}", ApiAuth()},
                                             {"{RUNNER}", rc.auth()},
                                             {"{OTHER}", other.auth()},
                                             {"{RN}", "/runners/" + rc.id},
                                             {"{SID}", sid},
                                             {"{PID}", std::to_string(pid)},
                                             {"{CPID}", cpid},
                                             {"{IPID}", ipid},
                                             {"{JB}", jb},
                                             {"{REGTOKEN}", nojd_->registration_token()}};
  auto snapshot = [&] {
    auto q = Json(Api("GET", "/queue")).as_object();
    q.erase("oldest_pending_age_ms");  // grows with time, as it does per requirement class
    if (bj::value* classes = q.if_contains("classes"); classes != nullptr && classes->is_array())
      for (bj::value& c : classes->as_array())
        if (c.is_object()) c.as_object().erase("oldest_pending_age_ms");
    return bj::serialize(q) + Api("GET", "/submissions/" + sid).body +
           Api("GET", "/submissions/" + held_sid).body + Api("GET", "/runners").body +
           Api("GET", "/problems/" + std::to_string(pid)).body +
           Api("GET", "/problems/" + cpid).body + Api("GET", "/problems/" + ipid).body;
  };
  std::string before = snapshot();
  std::vector<Case> rows = LoadTable(BAD_INPUTS_TSV);
  EXPECT_GE(rows.size(), 80u);
  for (Case c : rows) {
    c.path = Substitute(c.path, vars);
    if (c.body == "@big")
      c.body = std::string(5000, '{');
    else if (c.body.starts_with("@zip:"))
      c.body = BadPackage(c.body.substr(5));
    else
      c.body = Substitute(c.body, vars);
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
