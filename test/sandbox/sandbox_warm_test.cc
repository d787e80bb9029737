// The warm box (noj-sandbox --serve, docs/sandbox.md "Warm boxes"): consecutive cases of one
// helper share nothing a case could leave for the next — files, space, processes, sockets, IPC —
// and the helper's wire refuses what is not a run. The attacks of sandbox_attack_test run warm
// too (as the 1st, 2nd and 10th case); these are the checks specific to consecutive cases.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox/linux_impl/uid_sweep.h"
#include "sandbox_fixture.h"

namespace noj::sandbox::testing {
namespace {

namespace fs = std::filesystem;

class WarmBoxTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (IsSkipped()) return;
    UseWarmBox();
    out_dir_ = MakeTempDir("out");
  }

  // One case of the test's warm helper, stdout into out_dir_/<name>.
  RunResult Case(const std::string& name, std::vector<std::string> flags,
                 const std::vector<std::string>& command) {
    flags.insert(flags.end(), {"--scratch", "--stdout", out_dir_ + "/" + name});
    return RunOnce(flags, command);
  }
  std::string Said(const std::string& name) {
    std::ifstream in(out_dir_ + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool BoxUidHasProcesses() {
    return !linux_impl::ProcessesOfUid(static_cast<uid_t>(BoxUid(box_id_))).empty();
  }

  std::string out_dir_;
};

TEST_F(WarmBoxTest, ALaterCaseFindsNothingAnEarlierCaseLeft) {
  // Case 1 publishes through every channel it has (abstract and path socket names, a socket
  // kept alive by an SCM_RIGHTS cycle, SysV shm and queues, /dev/shm, /tmp, /box); case 2 seeks.
  std::string prog = InstallProgram("exchange");
  RunResult pub = Case("pub", {}, {prog, "publish", "s3cr3t", "0"});
  EXPECT_EQ(pub.verdict, Verdict::kOk) << pub.error;
  EXPECT_NE(Said("pub").find("published, self-visible"), std::string::npos) << Said("pub");
  RunResult seek = Case("seek", {}, {prog, "seek", "0"});
  EXPECT_EQ(seek.verdict, Verdict::kOk) << seek.error;
  EXPECT_EQ(Said("seek"), "nothing\n");
}

TEST_F(WarmBoxTest, ACaseThatChangesItsFilesLeavesThePackageAsItWas) {
  std::ofstream(box_dir_ + "/data.txt") << "package file";
  RunResult first = Case("1", {},
                         {"/bin/sh", "-c",
                          "echo recorded > /box/note; echo t > /tmp/note;"
                          "rm -f /box/data.txt || echo rm-refused;"
                          "mv /box/data.txt /box/x || echo mv-refused;"
                          "echo changed > /box/data.txt || echo write-refused;"
                          "chmod 777 /box/data.txt || echo chmod-refused;"
                          "echo x > /usr/noj-note || echo usr-refused"});
  EXPECT_EQ(first.verdict, Verdict::kOk) << first.error;
  for (const char* refused :
       {"rm-refused", "mv-refused", "write-refused", "chmod-refused", "usr-refused"}) {
    EXPECT_NE(Said("1").find(refused), std::string::npos) << refused << " in:\n" << Said("1");
  }
  RunResult second =
      Case("2", {}, {"/bin/sh", "-c", "ls -A /box /tmp; cat /box/data.txt; ls -l /box/data.txt"});
  EXPECT_EQ(second.verdict, Verdict::kOk) << second.error;
  EXPECT_EQ(Said("2").find("note"), std::string::npos) << Said("2");
  EXPECT_NE(Said("2").find("package file"), std::string::npos) << Said("2");
  EXPECT_NE(Said("2").find("-rw-r--r--"), std::string::npos) << Said("2");
  EXPECT_FALSE(fs::exists(box_dir_ + "/note"));
  EXPECT_FALSE(fs::exists("/usr/noj-note"));
}

TEST_F(WarmBoxTest, ACaseThatFillsItsWorkingDirectoryLeavesTheNextOneAllOfIt) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  const std::vector<std::string> limits = {
      "--require", "cgroup-mem,cgroup-pids", "--box-kib", "8192", "--tmp-kib", "8192", "--inodes",
      "256"};
  RunResult fill = Case("fill", limits,
                        {"/bin/sh", "-c",
                         "dd if=/dev/zero of=/box/f bs=1M count=64 2>/dev/null;"
                         "dd if=/dev/zero of=/tmp/f bs=1M count=64 2>/dev/null;"
                         "i=0; while [ $i -lt 1000 ]; do true > /box/i$i 2>/dev/null || break;"
                         " i=$((i+1)); done"});
  EXPECT_EQ(fill.verdict, Verdict::kOle) << VerdictName(fill.verdict);
  RunResult next = Case("next", limits,
                        {"/bin/sh", "-c",
                         "ls -A /box /tmp; dd if=/dev/zero of=/box/g bs=1M count=6 2>/dev/null"
                         " && dd if=/dev/zero of=/tmp/g bs=1M count=6 2>/dev/null && echo fits"});
  EXPECT_EQ(next.verdict, Verdict::kOk) << VerdictName(next.verdict) << " " << Said("next");
  EXPECT_NE(Said("next").find("fits"), std::string::npos) << Said("next");
  EXPECT_EQ(Said("next").find("i1"), std::string::npos) << Said("next");
}

TEST_F(WarmBoxTest, AProcessThatOutlivesItsProgramDiesWithItsCase) {
  std::string prog = InstallProgram("daemon");
  RunResult daemon = RunOnce({"--scratch"}, {prog});
  EXPECT_EQ(daemon.verdict, Verdict::kOk) << "the daemon did not start";
  // The result is answered only once the case's init has killed and reaped everything.
  EXPECT_FALSE(BoxUidHasProcesses()) << "the daemon outlived its case";
  RunResult next = Case("procs", {}, {"/bin/sh", "-c", "ls /proc | grep -c '^[0-9]'"});
  EXPECT_EQ(next.verdict, Verdict::kOk);
  // The shell and its ls and grep: nothing of the earlier case.
  EXPECT_LE(std::stoi("0" + Said("procs")), 3) << Said("procs");
}

TEST_F(WarmBoxTest, CaseCountersStartFromZero) {
  std::string prog = InstallProgram("busy_loop");
  RunResult busy = Case("busy", {"--cpu-ms", "300", "--wall-ms", "5000"}, {prog, "2000"});
  EXPECT_EQ(busy.verdict, Verdict::kTle);
  RunResult light = Case("light", {}, {"/usr/bin/true"});
  EXPECT_EQ(light.verdict, Verdict::kOk);
  EXPECT_LT(light.cpu_ms, 150) << "the earlier case's CPU time was counted again";
  EXPECT_LT(light.memory_kib, 16 * 1024);
}

TEST_F(WarmBoxTest, RunsTheWarmBoxDoesNotTakeAreRunOneShot) {
  // A writable box dir is not a warm box's: the helper runs it the one-shot way.
  RunResult r = RunOnce({"--stdout", "w.txt"}, {"/bin/sh", "-c", "echo w > /box/made"});
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.error;
  EXPECT_TRUE(fs::exists(box_dir_ + "/made"));
  EXPECT_EQ(Case("after", {}, {"/usr/bin/true"}).verdict, Verdict::kOk);
}

TEST_F(WarmBoxTest, ARunForAnotherBoxIdIsRefused) {
  std::vector<std::string> args = Args({"--scratch"}, {"/usr/bin/true"});
  args[3] = std::to_string(box_id_ + 1);
  Result<RunResult> r = warm().Run(args);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->verdict, Verdict::kSe);
  EXPECT_NE(r->error.find("serves box id"), std::string::npos) << r->error;
  EXPECT_EQ(Case("after", {}, {"/usr/bin/true"}).verdict, Verdict::kOk);
}

TEST_F(WarmBoxTest, AMalformedFrameEndsTheHelperCleanly) {
  EXPECT_EQ(Case("before", {}, {"/usr/bin/true"}).verdict, Verdict::kOk);
  std::string line = warm().SendRaw("noj-run 1\nxx:garbage\n");
  auto parsed = ParseResultLine(line);
  ASSERT_TRUE(parsed.ok()) << line;
  EXPECT_EQ(parsed->verdict, Verdict::kSe);
  int status = warm().Close();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
  warm_.reset();  // its boxes are gone: the fixture checks no cgroup and no process is left
}

TEST_F(WarmBoxTest, SigtermDuringARunEndsItAsSeAndTearsTheBoxDown) {
  std::string prog = InstallProgram("sleeper");
  WarmHelper& helper = warm();
  std::thread stopper([&helper] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(helper.pid(), SIGTERM);
  });
  Result<RunResult> r = helper.Run(Args({"--scratch", "--cpu-ms", "5000"}, {prog}));
  stopper.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->verdict, Verdict::kSe);
  int status = helper.Close();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  warm_.reset();
  EXPECT_FALSE(BoxUidHasProcesses());
}

}  // namespace
}  // namespace noj::sandbox::testing
