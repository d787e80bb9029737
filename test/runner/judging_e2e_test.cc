// The example problems of examples/problems/ beyond A+B, judged end to end (real nojd, noj-runner,
// noj-sandbox): created from problem.json, the package zipped from testdata/, every solution of
// solutions/EXPECTED submitted and given its verdict and score. This is the path a problem's meta
// takes to the runner: POST /problems → GET /problem/{pid}/meta → the runner's testdata cache →
// the checker the job is judged with.

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/zip_archive.h"
#include "runner/runner_e2e_fixture.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
const fs::path kExamples = fs::path(NOJ_SOURCE_DIR) / "examples/problems";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Row {
  std::string file;
  std::string verdict;
  int score = 0;
};

std::vector<Row> ReadExpected(const fs::path& example) {
  std::vector<Row> out;
  std::istringstream in(Slurp(example / "solutions/EXPECTED"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Row r;
    fields >> r.file >> r.verdict >> r.score;
    out.push_back(r);
  }
  return out;
}

int LanguageCode(const std::string& file) {
  if (file.ends_with(".c")) return 0;
  if (file.ends_with(".cpp")) return 1;
  return 2;
}

const std::map<std::string, int> kVerdictCodes = {{"AC", 0},  {"WA", 1}, {"CE", 2}, {"TLE", 3},
                                                  {"MLE", 4}, {"RE", 5}, {"JE", 6}, {"OLE", 7}};

class JudgingExamples : public RunnerE2E {
 protected:
  // The package as the zip would hold it: every file below testdata/, by relative name.
  static std::string PackageZip(const fs::path& dir) {
    std::vector<zip::Entry> entries;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file())
        entries.push_back({e.path().lexically_relative(dir).generic_string(), Slurp(e.path())});
    std::sort(entries.begin(), entries.end(),
              [](const zip::Entry& a, const zip::Entry& b) { return a.name < b.name; });
    auto z = zip::Build(entries);
    EXPECT_TRUE(z.ok());
    return z.value_or("");
  }

  int64_t Create(const fs::path& example) {
    auto r = Api("POST", "/problems", Slurp(example / "problem.json"));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    int64_t pid = Json(r).as_object().at("problem_id").as_int64();
    auto up =
        http_->Send("PUT", "/problems/" + std::to_string(pid) + "/testdata",
                    PackageZip(example / "testdata"), {ApiAuth(), "Content-Type: application/zip"});
    EXPECT_EQ(up.status, 200) << up.body;
    return pid;
  }

  bj::object WaitFinalFor(const std::string& sid, std::chrono::seconds total) {
    auto deadline = std::chrono::steady_clock::now() + total;
    bj::object s = WaitFinal(sid, 20);
    while (Int(s, "status") == -1 && std::chrono::steady_clock::now() < deadline)
      s = WaitFinal(sid, 20);
    return s;
  }

  void JudgeEverySolution(const std::string& name) {
    const fs::path example = kExamples / name;
    int64_t pid = Create(example);
    ASSERT_GT(pid, 0);
    std::vector<Row> rows = ReadExpected(example);
    ASSERT_GE(rows.size(), 4u);
    std::vector<std::string> sids;
    for (const Row& row : rows)
      sids.push_back(Submit(pid, LanguageCode(row.file), Slurp(example / "solutions" / row.file)));
    auto runner = StartRunner("judging-" + name);
    for (size_t i = 0; i < rows.size(); ++i) {
      SCOPED_TRACE(name + "/" + rows[i].file);
      bj::object s = WaitFinalFor(sids[i], 120s);
      EXPECT_EQ(Int(s, "status"), kVerdictCodes.at(rows[i].verdict)) << bj::serialize(s);
      EXPECT_EQ(Int(s, "score"), rows[i].score) << bj::serialize(s);
    }
    runner->Signal(SIGTERM);
    EXPECT_EQ(runner->Wait(30s), 0) << runner->Log();
  }
};

TEST_F(JudgingExamples, CustomChecker) { JudgeEverySolution("checker"); }
TEST_F(JudgingExamples, FloatChecker) { JudgeEverySolution("float"); }
TEST_F(JudgingExamples, FileIo) { JudgeEverySolution("fileio"); }
TEST_F(JudgingExamples, GraderViaInclude) { JudgeEverySolution("grader"); }
TEST_F(JudgingExamples, Interactive) { JudgeEverySolution("interactive"); }

}  // namespace
}  // namespace noj::runner
