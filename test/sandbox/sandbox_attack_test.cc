// Every attack of docs/sandbox.md's table against the real noj-sandbox binary, with the
// verdict it must get; the fixture checks after each that nothing of the box survived.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox_fixture.h"

namespace noj::sandbox::testing {
namespace {

// Every attack in three settings: a writable box dir (the sandbox's default); a fresh scratch box
// per run of the one-shot helper, on the first and on a later case; and the way noj-runner runs
// cases, a warm box (noj-sandbox --serve), as its 1st, 2nd and 10th case.
enum class Setting { kWritable, kScratch, kWarm };

class AttackTest : public SandboxTest, public ::testing::WithParamInterface<Setting> {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (IsSkipped()) return;
    if (GetParam() == Setting::kScratch) UseScratchBox();
    if (GetParam() == Setting::kWarm) UseWarmBox();
  }
};

TEST_P(AttackTest, ForkBombIsStoppedByThePidsLimitAndNothingSurvives) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  std::string prog = InstallProgram("fork_bomb");
  // --require: should the limits vanish between the check and the run, refuse (SE).
  RunResult r =
      RunOk({"--require", "cgroup-mem,cgroup-pids", "--max-processes", "64", "--memory-kib",
             "131072", "--cpu-ms", "500", "--wall-ms", "3000", "--stdout", "out.txt"},
            {prog});
  EXPECT_TRUE(r.verdict == Verdict::kTle || r.verdict == Verdict::kRe) << VerdictName(r.verdict);
  EXPECT_NE(ReadBoxFile("out.txt").find("fork failed"), std::string::npos)
      << "the pids limit was never hit";
}

TEST_P(AttackTest, TouchingOneGibUnder128MibIsMle) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  std::string prog = InstallProgram("memory_bomb");
  RunResult r =
      RunOk({"--require", "cgroup-mem,cgroup-pids", "--memory-kib", "131072", "--cpu-ms", "5000"},
            {prog});
  EXPECT_EQ(r.verdict, Verdict::kMle);
  EXPECT_LE(r.memory_kib, 131072 + 1024);
}

TEST_P(AttackTest, FillingTmpIsMleNotADiskFill) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  // /tmp is a tmpfs charged to the box's memory cgroup: its pages cannot be reclaimed.
  RunResult r = RunOk(
      {"--require", "cgroup-mem,cgroup-pids", "--memory-kib", "65536", "--tmp-kib", "1048576"},
      {"/usr/bin/dd", "if=/dev/zero", "of=/tmp/fill", "bs=1M", "count=256"});
  EXPECT_EQ(r.verdict, Verdict::kMle);
}

TEST_P(AttackTest, OneGibToStdoutUnder8MibIsOle) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  std::string prog = InstallProgram("output_bomb");
  std::string out_dir = MakeTempDir("out");
  RunResult r = RunOk({"--require", "cgroup-mem,cgroup-pids", "--output-limit",
                       std::to_string(8 << 20), "--stdout", out_dir + "/stdout"},
                      {prog});
  EXPECT_EQ(r.verdict, Verdict::kOle);
  EXPECT_EQ(r.signal, SIGXFSZ);
  EXPECT_LE(std::filesystem::file_size(out_dir + "/stdout"), (8u << 20) + 1);
}

TEST_P(AttackTest, SecretsRunnerFilesAndOtherBoxesAreInvisible) {
  std::string runner_dir = MakeTempDir("runner");
  std::ofstream(runner_dir + "/secret") << "runner secret";
  std::string other_box = MakeTempDir("otherbox");
  std::ofstream(other_box + "/answer") << "other box";
  std::string prog = InstallProgram("read_secrets");
  RunResult r = RunOk({"--stdout", "out.txt"},
                      {prog, runner_dir + "/secret", other_box + "/answer", SandboxBinary(),
                       "/proc/self/../1/cmdline", "/run/noj-sandbox/lock"});
  EXPECT_EQ(r.verdict, Verdict::kOk) << ReadBoxFile("out.txt");
  EXPECT_NE(ReadBoxFile("out.txt").find("all blocked"), std::string::npos)
      << ReadBoxFile("out.txt");
}

TEST_P(AttackTest, ConnectingToLoopbackFails) {
  // A real listener on the host's loopback: the box must not reach it.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  std::string prog = InstallProgram("connect_local");
  RunResult r = RunOk({"--stdout", "out.txt"}, {prog, std::to_string(ntohs(a.sin_port))});
  ::close(listener);
  std::string out = ReadBoxFile("out.txt");
  EXPECT_EQ(r.verdict, Verdict::kOk) << out;
  EXPECT_NE(out.find("all blocked"), std::string::npos) << out;
  EXPECT_NE(out.find("AF_UNIX allowed"), std::string::npos) << out;
}

TEST_P(AttackTest, SleepingIsWallTle) {
  std::string prog = InstallProgram("sleeper");
  auto start = std::chrono::steady_clock::now();
  RunResult r = RunOk({"--cpu-ms", "200", "--wall-ms", "400"}, {prog});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.verdict, Verdict::kTle);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_LT(r.cpu_ms, 50);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_P(AttackTest, FourBusyThreadsAreTleOnSummedCpu) {
  std::string prog = InstallProgram("busy_threads");
  RunResult r = RunOk({"--cpu-ms", "400", "--wall-ms", "10000"}, {prog});
  EXPECT_EQ(r.verdict, Verdict::kTle);
  EXPECT_GE(r.cpu_ms, 400);
  EXPECT_LT(r.cpu_ms, 600);  // killed by the polling supervisor, not RLIMIT_CPU (2 s)
  // More CPU than wall time: only possible when the threads' CPU is summed.
  EXPECT_LT(r.wall_ms, 10000);
}

TEST_P(AttackTest, DaemonIsKilledAtTheEndOfTheRun) {
  std::string prog = InstallProgram("daemon");
  RunResult r = RunOk({}, {prog});
  EXPECT_EQ(r.verdict, Verdict::kOk) << "the daemon did not start";
  std::string before = ReadBoxFile("daemon.log");
  EXPECT_FALSE(before.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(ReadBoxFile("daemon.log"), before) << "the daemon is still writing";
}

TEST_P(AttackTest, KillingEverythingHarmsNothingOutside) {
  std::string prog = InstallProgram("kill_everything");
  pid_t self = ::getpid();
  RunResult r = RunOk({"--stdout", "out.txt"}, {prog});
  EXPECT_EQ(r.verdict, Verdict::kOk) << ReadBoxFile("out.txt");
  EXPECT_NE(ReadBoxFile("out.txt").find("survived"), std::string::npos);
  EXPECT_EQ(::getpid(), self);  // we (the runner's stand-in) are alive to check
  // The supervisor answered, so it survived too; and it still works:
  EXPECT_EQ(RunOk({}, {"/usr/bin/true"}).verdict, Verdict::kOk);
}

TEST_P(AttackTest, CreatingFilesOutsideBoxAndTmpFails) {
  std::string prog = InstallProgram("write_outside");
  RunResult r = RunOk({"--stdout", "out.txt"}, {prog});
  EXPECT_EQ(r.verdict, Verdict::kOk) << ReadBoxFile("out.txt");
  EXPECT_TRUE(BoxFileExists("ok.txt"));
}

TEST_P(AttackTest, PtraceOfTheParentFails) {
  std::string prog = InstallProgram("ptrace_parent");
  RunResult r = RunOk({"--stdout", "out.txt"}, {prog});
  EXPECT_EQ(r.verdict, Verdict::kOk) << ReadBoxFile("out.txt");
}

TEST_P(AttackTest, UnshareUserNamespaceAndForeignAbiFail) {
  // The 32-bit call runs in a child of the program: an error return, or its death by a signal
  // (no IA32 emulation: SIGSEGV; a killing filter: SIGSYS), counts as contained; a pid as a breach.
  std::string prog = InstallProgram("escape_ns");
  RunResult r = RunOk({"--stdout", "out.txt"}, {prog});
  std::string out = ReadBoxFile("out.txt");
  EXPECT_EQ(r.verdict, Verdict::kOk) << out;
  EXPECT_NE(out.find("all blocked"), std::string::npos) << out;
  EXPECT_NE(out.find("int 0x80 "), std::string::npos) << "the foreign ABI was not probed: " << out;
}

INSTANTIATE_TEST_SUITE_P(Boxes, AttackTest,
                         ::testing::Values(Setting::kWritable, Setting::kScratch, Setting::kWarm),
                         [](const ::testing::TestParamInfo<Setting>& info) {
                           switch (info.param) {
                             case Setting::kScratch:
                               return "ScratchFirstAndLaterCase";
                             case Setting::kWarm:
                               return "WarmBox1st2nd10thCase";
                             case Setting::kWritable:
                               break;
                           }
                           return "WritableBoxDir";
                         });

}  // namespace
}  // namespace noj::sandbox::testing
