// Measurements and ordinary verdicts of the real noj-sandbox binary, and its SE paths.

#include <csignal>
#include <filesystem>
#include <fstream>

#include "sandbox_fixture.h"

namespace noj::sandbox::testing {
namespace {

using RunTest = SandboxTest;

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
  SandboxProcess probe = RunSandboxProcess(SandboxBinary(), {"--probe"}, outer()->join_fds());
  EXPECT_EQ(probe.exit_code, 0) << probe.stderr_text;
  EXPECT_EQ(probe.stdout_text, "protections: " + r.protections + "\n");
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

TEST_F(RunTest, MissingProgramIsSe) {
  SandboxProcess p = Run({}, {"/box/does-not-exist"});
  EXPECT_EQ(p.exit_code, 2);
  ASSERT_TRUE(p.result.ok()) << p.stdout_text;
  EXPECT_EQ(p.result->verdict, Verdict::kSe);
  EXPECT_NE(p.result->error.find("execve"), std::string::npos) << p.result->error;
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

}  // namespace
}  // namespace noj::sandbox::testing
