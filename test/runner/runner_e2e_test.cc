// noj-runner end to end: a real nojd, the real noj-runner binary, the real noj-sandbox.
// Needs root for the sandbox (skips otherwise).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <thread>

#include "runner/deep_tree.h"
#include "runner/runner_e2e_fixture.h"
#include "runner/tree_removal.h"

namespace noj::runner {
namespace {

using noj::testing::NojdTest;
namespace bj = boost::json;
using testing::RunnerProcess;
using namespace std::chrono_literals;

// Reads "t c" and prints t + c, the answers of NojdTest::TestdataZip.
constexpr char kCppSum[] =
    "#include <cstdio>\nint main(){int a,b;std::scanf(\"%d "
    "%d\",&a,&b);std::printf(\"%d\\n\",a+b);}\n";
constexpr char kPySum[] = "a, b = map(int, input().split())\nprint(a + b)\n";
// Burns ~0.5 s of CPU first: long enough to signal the runner while it judges.
constexpr char kCppSlowSum[] =
    "#include <cstdio>\n#include <ctime>\nint main(){while(std::clock()<CLOCKS_PER_SEC/2){}"
    "int a,b;std::scanf(\"%d %d\",&a,&b);std::printf(\"%d\\n\",a+b);}\n";

TEST_F(RunnerE2E, JudgesSubmissionsInEveryLanguage) {
  int64_t pid = CreateProblemWithTestdata({{40, 2}, {60, 3}});
  std::string cpp = Submit(pid, 1, kCppSum);
  std::string py = Submit(pid, 2, kPySum);
  std::string c_ce = Submit(pid, 0, "int main(void) { return x; }\n");
  std::string wa = Submit(pid, 1, "#include <cstdio>\nint main(){std::puts(\"1\");}\n");
  auto runner = StartRunner("e2e");
  auto a = WaitFinal(cpp, 30), b = WaitFinal(py, 30), c = WaitFinal(c_ce, 30),
       d = WaitFinal(wa, 30);
  EXPECT_EQ(Int(a, "status"), 0) << bj::serialize(a) << runner->Log();
  EXPECT_EQ(Int(a, "score"), 100);
  EXPECT_EQ(Int(b, "status"), 0) << bj::serialize(b);
  EXPECT_EQ(Int(c, "status"), 2) << bj::serialize(c);
  EXPECT_EQ(Int(d, "status"), 1) << bj::serialize(d);  // "1" is right only for t + c == 1
  auto ce_case = Api("GET", "/submissions/" + c_ce + "/cases/0/0");
  EXPECT_THAT(ce_case.body, ::testing::HasSubstr("undeclared"));
  // One testdata download for the four jobs of the problem.
  std::string log = runner->Log();
  size_t downloads = 0;
  for (size_t at = 0; (at = log.find("event=testdata_download", at)) != std::string::npos; ++at)
    ++downloads;
  EXPECT_EQ(downloads, 1u) << log;
  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->Wait(15s), 0) << runner->Log();
}

TEST_F(RunnerE2E, DrainFinishesTheRunningJobAndExitsZero) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid, 1, kCppSlowSum);
  auto runner = StartRunner("drain");
  ASSERT_TRUE(WaitUntil([&] { return JobState(sid) == "leased"; }, 20s)) << runner->Log();
  // Judging, not just claimed: a drain gives back a job still being prepared (testdata download).
  ASSERT_TRUE(WaitUntil(
      [&] { return runner->Log().find("event=judge_started") != std::string::npos; }, 20s))
      << runner->Log();
  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->Wait(30s), 0) << runner->Log();
  auto s = Submission(sid);
  EXPECT_EQ(Int(s, "status"), 0) << bj::serialize(s) << runner->Log();
  EXPECT_EQ(Int(s, "attempts"), 1);
}

TEST_F(RunnerE2E, IdleDrainLeavesNoClaimBehind) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  auto runner = StartRunner("idle");
  ASSERT_TRUE(WaitUntil(
      [&] { return runner->Log().find("event=runner_started") != std::string::npos; }, 20s));
  std::this_thread::sleep_for(300ms);  // the long-poll is in flight
  runner->Signal(SIGTERM);
  std::string sid = Submit(pid, 1, kCppSum);  // may arrive while that poll is still held
  EXPECT_EQ(runner->Wait(30s), 0) << runner->Log();
  if (getenv("NOJ_E2E_SHOW_LOG")) std::cerr << runner->Log();
  // Whatever the poll in flight brought was given back: the job is pending, not stranded on a
  // runner that is gone, and it did not cost an attempt.
  auto s = Submission(sid);
  EXPECT_EQ(JobState(sid), "pending") << bj::serialize(s) << runner->Log();
  EXPECT_EQ(Int(s, "attempts"), 0) << bj::serialize(s);
}

// A crash left a contestant's 40,000-level chain in the work dir (fs::remove_all fails on it with
// EMFILE; the runner used to exit 1 at every start): the runner moves it aside, registers and
// judges at once, and removes it in the background.
TEST_F(RunnerE2E, StartsAndJudgesWithADeepChainLeftInTheWorkDir) {
  namespace fs = std::filesystem;
  fs::path work = dir_ + "/work-leftovers";
  struct RemoveAtEnd {  // whatever is left: NojdTest's fs::remove_all could not
    fs::path path;
    ~RemoveAtEnd() { RemoveTreeBounded(path).IgnoreError(); }
  } remove_at_end{work};
  fs::create_directories(work / "jb_crashed" / "box");
  ASSERT_TRUE(testing::MakeDeepChain(work / "jb_crashed" / "box", 40000));
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid, 1, kCppSum);

  auto runner = StartRunner("leftovers");
  auto s = WaitFinal(sid, 30);
  EXPECT_EQ(Int(s, "status"), 0) << bj::serialize(s) << runner->Log();
  EXPECT_THAT(runner->Log(), ::testing::HasSubstr("event=leftover_moved_aside"));
  EXPECT_FALSE(fs::exists(work / "jb_crashed"));
  // A generous bound: removing the chain is I/O-bound (10-50 s on a busy 2-core VM).
  EXPECT_TRUE(WaitUntil(
      [&] { return runner->Log().find("event=trash_removed") != std::string::npos; }, 240s))
      << runner->Log();
  EXPECT_TRUE(fs::is_empty(work / ".trash"));
  if (getenv("NOJ_E2E_SHOW_LOG")) std::cerr << runner->Log();
  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->Wait(30s), 0) << runner->Log();
}

TEST_F(RunnerE2E, WrongRegistrationTokenExitsTwo) {
  auto runner = std::make_unique<RunnerProcess>(
      std::vector<std::string>{NOJ_RUNNER_BINARY, "--server", nojd_->base_url(),
                               "--registration-token", "wrong", "--work-dir", dir_ + "/w",
                               "--cache-dir", dir_ + "/c", "--sandbox", NOJ_SANDBOX_BINARY},
      dir_ + "/bad.log");
  EXPECT_EQ(runner->Wait(15s), 2) << runner->Log();
}

TEST_F(RunnerE2E, RevokedRunnerExitsTwo) {
  auto runner = StartRunner("revoked");
  std::string id;
  ASSERT_TRUE(WaitUntil(
      [&] {
        bj::value list = Json(Api("GET", "/runners"));
        if (!list.is_array()) return false;
        for (const auto& v : list.as_array())
          if (v.as_object().at("name") == "revoked")
            id = std::string(v.as_object().at("runner_id").as_string());
        return !id.empty();
      },
      20s));
  EXPECT_EQ(Api("DELETE", "/runners/" + id).status, 200);
  EXPECT_EQ(runner->Wait(15s), 2) << runner->Log();
}

}  // namespace
}  // namespace noj::runner
