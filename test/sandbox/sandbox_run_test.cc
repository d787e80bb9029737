// Measurements and ordinary verdicts of the real noj-sandbox binary, and its SE paths.

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/linux_impl/uid_sweep.h"
#include "sandbox/run_request.h"
#include "sandbox_fixture.h"

namespace noj::sandbox::testing {
namespace {

using RunTest = SandboxTest;

// Polls `done` every 5 ms for up to `seconds`, reaping orphans handed to us meanwhile.
template <typename Pred>
bool WaitFor(Pred done, int seconds) {
  for (int i = 0; i < seconds * 200; ++i) {
    if (done()) return true;
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// A box whose program has certainly started: it touched /box/started and sleeps.
const std::vector<std::string> kStartedSleeper = {"/bin/sh", "-c",
                                                  "echo > /box/started; exec /usr/bin/sleep 100"};

TEST_F(RunTest, CpuTimeOfA200MsBusyLoopIsWithinTenPercent) {
  std::string prog = InstallProgram("busy_loop");
  RunResult r = RunOk({"--cpu-ms", "2000"}, {prog, "200"});
  EXPECT_EQ(r.verdict, Verdict::kOk);
  EXPECT_GE(r.cpu_ms, 180);
  EXPECT_LE(r.cpu_ms, 220);
}

TEST_F(RunTest, MemoryPeakOfA64MibAllocationIsWithinTenPercent) {
  std::string prog = InstallProgram("alloc_touch");
  RunResult r = RunOk({"--memory-kib", "262144"}, {prog, "64"});
  EXPECT_EQ(r.verdict, Verdict::kOk);
  EXPECT_GE(r.memory_kib, 65536 * 9 / 10);
  EXPECT_LE(r.memory_kib, 65536 * 11 / 10);
}

TEST_F(RunTest, StdioIsRedirectedAndExitCodeIsRe) {
  std::string prog = InstallProgram("echo_exit");
  std::string io = MakeTempDir("io");
  std::ofstream(io + "/input") << "hello box\n";
  RunResult ok =
      RunOk({"--stdin", io + "/input", "--stdout", io + "/output", "--stderr", "err.txt"}, {prog});
  EXPECT_EQ(ok.verdict, Verdict::kOk);
  std::ifstream out(io + "/output");
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, "hello box");
  EXPECT_EQ(ReadBoxFile("err.txt"), "to stderr\n");

  RunResult failed = RunOk({}, {prog, "3"});
  EXPECT_EQ(failed.verdict, Verdict::kRe);
  EXPECT_EQ(failed.exit_code, 3);

  RunResult crashed = RunOk({}, {prog, "0", std::to_string(SIGSEGV)});
  EXPECT_EQ(crashed.verdict, Verdict::kRe);
  EXPECT_EQ(crashed.signal, SIGSEGV);
}

TEST_F(RunTest, ProtectionsLineIsPrintedWithEveryResult) {
  RunResult r = RunOk({}, {"/usr/bin/true"});
  EXPECT_EQ(r.verdict, Verdict::kOk);
  EXPECT_NE(r.protections.find("cgroup-mem="), std::string::npos) << r.protections;
  EXPECT_NE(r.protections.find("seccomp="), std::string::npos) << r.protections;
  SandboxProcess probe = RunSandboxProcess(SandboxBinary(), {"--probe"},
                                           outer() ? outer()->join_fds() : std::vector<int>{});
  EXPECT_EQ(probe.exit_code, 0) << probe.stderr_text;
  // The kernel floor's line first (kernel_floor.h), then the protections, last.
  EXPECT_EQ(probe.stdout_text.rfind("kernel: ", 0), 0U) << probe.stdout_text;
  std::string last = "\nprotections: " + r.protections + "\n";
  ASSERT_GE(probe.stdout_text.size(), last.size()) << probe.stdout_text;
  EXPECT_EQ(probe.stdout_text.substr(probe.stdout_text.size() - last.size()), last);
}

TEST_F(RunTest, MissingRequiredProtectionIsSeAndNothingRuns) {
  // A v2 parent that does not exist: no cgroup.kill, which is then required.
  SandboxProcess p = Run({"--cgroup-parent", "noj-no-such-parent", "--require", "ns,cgroup-kill"},
                         {"/usr/bin/touch", "/box/ran"});
  EXPECT_EQ(p.exit_code, 2);
  ASSERT_TRUE(p.result.ok()) << p.stdout_text;
  EXPECT_EQ(p.result->verdict, Verdict::kSe);
  EXPECT_NE(p.result->error.find("cgroup-kill"), std::string::npos) << p.result->error;
  EXPECT_FALSE(std::filesystem::exists(box_dir_ + "/ran"));
}

TEST_F(RunTest, UnknownRequirementIsSe) {
  SandboxProcess p = Run({"--require", "teleportation"}, {"/usr/bin/true"});
  EXPECT_EQ(p.exit_code, 2);
  ASSERT_TRUE(p.result.ok()) << p.stdout_text;
  EXPECT_EQ(p.result->verdict, Verdict::kSe);
}

TEST_F(RunTest, MissingProgramInTheBoxIsReAndMissingRuntimeIsSe) {
  // The box's program is the contestant's: it failing to start is its run's failure.
  SandboxProcess in_box = Run({}, {"/box/does-not-exist"});
  ASSERT_TRUE(in_box.result.ok()) << in_box.stdout_text;
  EXPECT_EQ(in_box.result->verdict, Verdict::kRe);
  EXPECT_NE(in_box.result->error.find("cannot be executed"), std::string::npos);
  // A runtime of the host (python3, java...) missing is the judge's failure.
  SandboxProcess host = Run({}, {"/usr/bin/noj-does-not-exist"});
  EXPECT_EQ(host.exit_code, 2);
  ASSERT_TRUE(host.result.ok()) << host.stdout_text;
  EXPECT_EQ(host.result->verdict, Verdict::kSe);
  EXPECT_NE(host.result->error.find("execve"), std::string::npos) << host.result->error;
}

TEST_F(RunTest, PlantedSymlinkIsNotFollowedForStdout) {
  // What a previous run in this box could have left: a link to a file of the runner.
  std::string victim = MakeTempDir("victim") + "/precious";
  std::ofstream(victim) << "keep me";
  std::filesystem::create_symlink(victim, box_dir_ + "/out.txt");
  SandboxProcess p = Run({"--stdout", "out.txt"}, {"/usr/bin/true"});
  ASSERT_TRUE(p.result.ok()) << p.stdout_text;
  EXPECT_EQ(p.result->verdict, Verdict::kSe);
  std::ifstream in(victim);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "keep me");
}

TEST_F(RunTest, SigtermToTheSupervisorTearsTheBoxDownWithSe) {
  StartedProcess p = Start({"--cpu-ms", "20000"}, kStartedSleeper);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(box_dir_ + "/started"); }, 10));
  ::kill(p.pid, SIGTERM);
  SandboxProcess done = FinishSandboxProcess(p);
  EXPECT_EQ(done.exit_code, 2);
  ASSERT_TRUE(done.result.ok()) << done.stdout_text;
  EXPECT_EQ(done.result->verdict, Verdict::kSe);
  EXPECT_NE(done.result->error.find("interrupted"), std::string::npos) << done.result->error;
}

TEST_F(RunTest, SigkilledSupervisorTakesTheBoxWithItAndCleanupSweepsItsCgroups) {
  if (outer() == nullptr) GTEST_SKIP() << "needs a writable cgroup hierarchy for the outer cgroup";
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // the orphaned init comes to us to be reaped
  StartedProcess p = Start({"--cpu-ms", "20000"}, kStartedSleeper);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(box_dir_ + "/started"); }, 10));
  ::kill(p.pid, SIGKILL);
  SandboxProcess done = FinishSandboxProcess(p);
  EXPECT_EQ(done.exit_code, 128 + SIGKILL);
  uid_t uid = static_cast<uid_t>(BoxUid(box_id_));
  EXPECT_TRUE(WaitFor([&] { return linux_impl::ProcessesOfUid(uid).empty(); }, 5))
      << "the box outlived its supervisor";
  ASSERT_FALSE(outer()->LeftoverBoxCgroups().empty()) << "expected the dead box's cgroups";
  std::vector<std::string> cleanup = {"--cleanup"};
  if (!outer()->v2_parent().empty())
    cleanup = {"--cleanup", "--cgroup-parent", outer()->v2_parent()};
  SandboxProcess swept = RunSandboxProcess(SandboxBinary(), cleanup, outer()->join_fds());
  EXPECT_EQ(swept.exit_code, 0) << swept.stderr_text;
  EXPECT_TRUE(outer()->LeftoverBoxCgroups().empty());
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST_F(RunTest, ReadOnlyBoxRefusesWrites) {
  RunResult r = RunOk({"--box-readonly"}, {"/usr/bin/touch", "/box/new-file"});
  EXPECT_EQ(r.verdict, Verdict::kRe);
  EXPECT_FALSE(std::filesystem::exists(box_dir_ + "/new-file"));
}

}  // namespace
}  // namespace noj::sandbox::testing
