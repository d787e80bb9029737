// The committed A+B example judged end to end (real nojd, noj-runner, noj-sandbox): every solution
// gets the verdict and score written in examples/problems/aplusb/solutions/EXPECTED; and a runner
// killed with SIGKILL mid-job has its job reclaimed and finished by a second runner.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/zip_archive.h"
#include "runner/runner_e2e_fixture.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
const fs::path kExample = fs::path(NOJ_SOURCE_DIR) / "examples/problems/aplusb";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Expected {
  std::string file;
  std::string verdict;
  int score;
};

std::vector<Expected> ReadExpected() {
  std::vector<Expected> out;
  std::istringstream in(ReadFile(kExample / "solutions/EXPECTED"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream row(line);
    Expected e;
    row >> e.file >> e.verdict >> e.score;
    out.push_back(e);
  }
  return out;
}

int LanguageOf(const std::string& file) {
  if (file.ends_with(".c")) return 0;
  if (file.ends_with(".cpp")) return 1;
  return 2;
}

class Examples : public RunnerE2E {
 protected:
  // Waits past the 30 s cap of one ?wait= request.
  bj::object WaitFinalFor(const std::string& sid, std::chrono::seconds total) {
    auto deadline = std::chrono::steady_clock::now() + total;
    bj::object s = WaitFinal(sid, 20);
    while (Int(s, "status") == -1 && std::chrono::steady_clock::now() < deadline)
      s = WaitFinal(sid, 20);
    return s;
  }

  std::vector<std::string> Flags() const override {
    return {"--heartbeat-interval", "1", "--poll-interval", "1", "--lease-ttl", "3"};
  }

  int64_t CreateAplusb() {
    auto r = Api("POST", "/problems", ReadFile(kExample / "problem.json"));
    EXPECT_EQ(r.status, 201) << r.body;
    int64_t pid = Json(r).as_object().at("problem_id").as_int64();
    std::vector<zip::Entry> entries;
    for (const auto& f : fs::directory_iterator(kExample / "testdata"))
      entries.push_back({f.path().filename().string(), ReadFile(f.path())});
    auto z = zip::Build(entries);
    EXPECT_TRUE(z.ok());
    auto up = http_->Send("PUT", "/problems/" + std::to_string(pid) + "/testdata", *z,
                          {ApiAuth(), "Content-Type: application/zip"});
    EXPECT_EQ(up.status, 200) << up.body;
    return pid;
  }
};

const std::map<std::string, int> kCodes = {{"AC", 0},  {"WA", 1}, {"CE", 2}, {"TLE", 3},
                                           {"MLE", 4}, {"RE", 5}, {"JE", 6}, {"OLE", 7}};

TEST_F(Examples, EverySolutionGetsItsVerdictAndScore) {
  int64_t pid = CreateAplusb();
  std::vector<Expected> expected = ReadExpected();
  ASSERT_GE(expected.size(), 9u);
  std::vector<std::string> sids;
  for (const Expected& e : expected)
    sids.push_back(Submit(pid, LanguageOf(e.file), ReadFile(kExample / "solutions" / e.file)));
  auto runner = StartRunner("examples");
  for (size_t i = 0; i < expected.size(); ++i) {
    auto s = WaitFinalFor(sids[i], 90s);
    SCOPED_TRACE(expected[i].file);
    EXPECT_EQ(Int(s, "status"), kCodes.at(expected[i].verdict)) << bj::serialize(s);
    EXPECT_EQ(Int(s, "score"), expected[i].score) << bj::serialize(s);
  }
  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->Wait(30s), 0) << runner->Log();
}

TEST_F(Examples, RunnerKilledMidJobIsReclaimedAndFinishedByAnother) {
  int64_t pid = CreateAplusb();
  // Burns ~1.5 s of CPU per case: long enough to kill the runner while it judges.
  std::string slow =
      "#include <cstdio>\n#include <ctime>\nint main(){while(std::clock()<CLOCKS_PER_SEC*3/4){}"
      "long a,b;std::scanf(\"%ld %ld\",&a,&b);std::printf(\"%ld\\n\",a+b);}\n";
  std::string sid = Submit(pid, 1, slow);
  auto first = StartRunner("doomed");
  ASSERT_TRUE(WaitUntil([&] { return JobState(sid) == "leased"; }, 30s)) << first->Log();
  std::this_thread::sleep_for(1500ms);  // into the runs
  first->Signal(SIGKILL);
  first->Wait(10s);
  auto second = StartRunner("rescuer");
  auto s = WaitFinalFor(sid, 90s);
  EXPECT_EQ(Int(s, "status"), 0) << bj::serialize(s) << second->Log();
  EXPECT_EQ(Int(s, "attempts"), 2);
  EXPECT_EQ(Json(Api("GET", "/queue")).as_object().at("reclaimed_total"), 1);
  second->Signal(SIGTERM);
  EXPECT_EQ(second->Wait(30s), 0) << second->Log();
}

}  // namespace
}  // namespace noj::runner
