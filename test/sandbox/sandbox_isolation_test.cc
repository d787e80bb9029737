// What one box can leave for, or learn from, another: boxes judged at the same time, one
// submission after another, and the cases of one job (a fresh scratch /box per run). Also the
// bounds of a box's writable places and what the runner collects from a compile.

#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sandbox_fixture.h"

namespace noj::sandbox::testing {
namespace {

namespace fs = std::filesystem;

class IsolationTest : public SandboxTest {
 protected:
  // A second box, as a concurrently judged submission would get: its own dir and id.
  void SetUp() override {
    SandboxTest::SetUp();
    if (IsSkipped()) return;
    other_dir_ = MakeTempDir("otherbox");
    other_id_ = box_id_ + 1;  // the fixture spaces ids by 2 per test process
  }
  std::vector<std::string> OtherArgs(const std::vector<std::string>& flags,
                                     const std::vector<std::string>& command) {
    std::vector<std::string> a = Args(flags, command);
    a[1] = other_dir_;
    a[3] = std::to_string(other_id_);
    return a;
  }

  RunResult RunInOther(const std::vector<std::string>& flags,
                       const std::vector<std::string>& command) {
    SandboxProcess p = RunSandboxProcess(SandboxBinary(), OtherArgs(flags, command),
                                         outer() ? outer()->join_fds() : std::vector<int>{});
    EXPECT_TRUE(p.result.ok()) << p.stderr_text;
    return p.result.ok() ? *p.result : SandboxError("no result line");
  }

  std::string ReadOther(const std::string& name) {
    std::ifstream in(other_dir_ + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string InstallIn(const std::string& dir, const std::string& name) {
    fs::copy_file(std::string(NOJ_ATTACK_DIR) + "/" + name, dir + "/" + name,
                  fs::copy_options::overwrite_existing);
    fs::permissions(dir + "/" + name, fs::perms(0755));
    return "/box/" + name;
  }

  std::string other_dir_;
  int other_id_ = 0;
};

const std::vector<std::string> kScratch = {"--scratch"};

std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(IsolationTest, BoxesJudgedAtTheSameTimeCannotExchangeData) {
  std::string prog = InstallProgram("exchange");
  InstallIn(other_dir_, "exchange");
  std::string out_dir = MakeTempDir("pubout");
  StartedProcess publisher = Start(
      With(kScratch, {"--stdout", out_dir + "/pub", "--wall-ms", "20000", "--cpu-ms", "5000"}),
      {prog, "publish", "s3cr3t", "3000"});
  // Seek only once everything is published.
  std::string said;
  for (int i = 0; i < 1000 && said.find("publish") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::ifstream in(out_dir + "/pub");
    said.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(said.find("published, self-visible"), std::string::npos) << said;
  RunResult seek = RunInOther(With(kScratch, {"--stdout", "seek.txt"}), {prog, "seek", "600"});
  EXPECT_EQ(seek.verdict, Verdict::kOk) << seek.error;
  EXPECT_EQ(ReadOther("seek.txt"), "nothing\n");
  SandboxProcess pub = FinishSandboxProcess(publisher);
  ASSERT_TRUE(pub.result.ok()) << pub.stderr_text;
  EXPECT_EQ(pub.result->verdict, Verdict::kOk) << pub.result->error;
}

TEST_F(IsolationTest, ALaterBoxFindsNothingAnEarlierOneLeft) {
  // The earlier run leaves a socket alive through an SCM_RIGHTS cycle, SysV objects and
  // files; the next submission on the same box id and the next on another id find nothing.
  std::string prog = InstallProgram("exchange");
  InstallIn(other_dir_, "exchange");
  RunResult pub = RunOk(With(kScratch, {"--stdout", "pub.txt"}), {prog, "publish", "s3cr3t", "0"});
  EXPECT_EQ(pub.verdict, Verdict::kOk);
  EXPECT_NE(ReadBoxFile("pub.txt").find("published, self-visible"), std::string::npos)
      << ReadBoxFile("pub.txt");
  RunResult same = RunOk(With(kScratch, {"--stdout", "seek.txt"}), {prog, "seek", "0"});
  EXPECT_EQ(same.verdict, Verdict::kOk);
  EXPECT_EQ(ReadBoxFile("seek.txt"), "nothing\n");
  RunResult other = RunInOther(With(kScratch, {"--stdout", "seek.txt"}), {prog, "seek", "0"});
  EXPECT_EQ(other.verdict, Verdict::kOk);
  EXPECT_EQ(ReadOther("seek.txt"), "nothing\n");
}

TEST_F(IsolationTest, EveryRunGetsAFreshScratchBoxWhoseFilesAreReadOnly) {
  std::ofstream(box_dir_ + "/data.txt") << "package file";
  std::string out_dir = MakeTempDir("out");
  // Case 1 writes what it can and attacks the files it was given.
  RunResult first = RunOk(With(kScratch, {"--stdout", out_dir + "/1"}),
                          {"/bin/sh", "-c",
                           "echo recorded > /box/note; echo t > /tmp/note;"
                           "rm -f /box/data.txt || echo rm-refused;"
                           "mv /box/data.txt /box/x || echo mv-refused;"
                           "echo changed > /box/data.txt || echo write-refused;"
                           "chmod 777 /box/data.txt || echo chmod-refused;"
                           "ls /box"});
  EXPECT_EQ(first.verdict, Verdict::kOk) << first.error;
  std::ifstream in1(out_dir + "/1");
  std::string said(std::istreambuf_iterator<char>(in1), {});
  for (const char* refused : {"rm-refused", "mv-refused", "write-refused", "chmod-refused"}) {
    EXPECT_NE(said.find(refused), std::string::npos) << refused << " in:\n" << said;
  }
  EXPECT_NE(said.find("note"), std::string::npos) << "the run could not write in /box";
  // Case 2 sees the package as it was and nothing of case 1.
  RunResult second = RunOk(With(kScratch, {"--stdout", out_dir + "/2"}),
                           {"/bin/sh", "-c", "ls -A /box /tmp; cat /box/data.txt"});
  EXPECT_EQ(second.verdict, Verdict::kOk);
  std::ifstream in2(out_dir + "/2");
  std::string seen(std::istreambuf_iterator<char>(in2), {});
  EXPECT_EQ(seen.find("note"), std::string::npos) << seen;
  EXPECT_NE(seen.find("package file"), std::string::npos) << seen;
  EXPECT_FALSE(fs::exists(box_dir_ + "/note")) << "a scratch run wrote to the host box dir";
  std::ifstream host(box_dir_ + "/data.txt");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(host), {}), "package file");
}

int64_t FreeKib(const std::string& path) {
  struct statvfs st;
  if (::statvfs(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize) / 1024;
}

TEST_F(IsolationTest, FillingTheWritablePlacesIsOleAndNeverTheHostDisk) {
  std::string why;
  if (!BombSafe(&why)) GTEST_SKIP() << why;
  const std::vector<std::string> limits = {
      "--require", "cgroup-mem,cgroup-pids", "--scratch", "--box-kib", "8192", "--tmp-kib",
      "8192",      "--memory-kib",           "262144",    "--inodes",  "256"};
  int64_t free_before = FreeKib(box_dir_);
  // Bytes: 512 files of 1 MiB, in /box and in /tmp.
  for (const char* dir : {"/box", "/tmp"}) {
    std::string script = std::string("i=0; while [ $i -lt 512 ]; do dd if=/dev/zero of=") + dir +
                         "/f$i bs=1M count=1 2>/dev/null || break; i=$((i+1)); done; echo $i";
    RunResult r = RunOk(With(limits, {"--stdout", "bytes.txt"}), {"/bin/sh", "-c", script});
    EXPECT_EQ(r.verdict, Verdict::kOle) << dir << ": " << VerdictName(r.verdict);
    EXPECT_LE(std::stoi("0" + ReadBoxFile("bytes.txt")), 9) << dir;
  }
  // Inodes: 100,000 empty files.
  for (const char* dir : {"/box", "/tmp"}) {
    std::string script = std::string("i=0; while [ $i -lt 100000 ]; do true > ") + dir +
                         "/f$i 2>/dev/null || break; i=$((i+1)); done; echo $i";
    RunResult r = RunOk(With(limits, {"--stdout", "inodes.txt"}), {"/bin/sh", "-c", script});
    EXPECT_EQ(r.verdict, Verdict::kOle) << dir << ": " << VerdictName(r.verdict);
    EXPECT_LE(std::stoi("0" + ReadBoxFile("inodes.txt")), 256) << dir;
  }
  // Nothing reached the host: the box dir holds only our stdout files, and the disk's free
  // space moved by less than what was attempted (other tests write meanwhile: a wide margin).
  for (const auto& e : fs::directory_iterator(box_dir_)) {
    std::string name = e.path().filename();
    EXPECT_TRUE(name == "bytes.txt" || name == "inodes.txt") << name;
  }
  EXPECT_GT(FreeKib(box_dir_), free_before - 256 * 1024);
}

TEST_F(IsolationTest, CollectCopiesWhatTheRunMadeAndNothingElse) {
  std::string prog = InstallProgram("echo_exit");
  std::string out = MakeTempDir("collected");
  // Names the destination already has with another type are left as they are.
  fs::create_directory(out + "/clash_dir");
  std::ofstream(out + "/clash_file") << "mine";
  RunResult r = RunOk(
      {"--scratch", "--collect", out},
      {"/bin/sh", "-c",
       "cp /box/echo_exit /box/bin; echo 1 > /box/plain; mkdir -p /box/d/e; echo 2 > /box/d/e/f;"
       "ln -s /etc/shadow /box/link; mkfifo /box/fifo; echo x > /box/clash_dir;"
       "mkdir /box/clash_file; echo y > /box/clash_file/z"});
  EXPECT_EQ(r.verdict, Verdict::kOk) << r.error;
  EXPECT_TRUE(fs::is_regular_file(out + "/bin"));
  EXPECT_EQ(fs::status(out + "/bin").permissions(), fs::perms(0755));
  EXPECT_EQ(fs::status(out + "/plain").permissions(), fs::perms(0644));
  EXPECT_TRUE(fs::is_regular_file(out + "/d/e/f"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(out + "/link")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(out + "/fifo")));
  EXPECT_FALSE(fs::exists(out + "/echo_exit")) << "a bound entry was collected";
  EXPECT_TRUE(fs::is_directory(out + "/clash_dir"));
  EXPECT_TRUE(fs::is_regular_file(out + "/clash_file"));
}

TEST_F(IsolationTest, AProgramOfTheBoxThatCannotStartIsTheProgramsFault) {
  std::ofstream(box_dir_ + "/text") << "not a program\n";
  fs::permissions(box_dir_ + "/text", fs::perms(0755));
  RunResult missing = RunOk(kScratch, {"./absent"});
  EXPECT_EQ(missing.verdict, Verdict::kRe);
  RunResult not_elf = RunOk(kScratch, {"/box/text"});
  EXPECT_EQ(not_elf.verdict, Verdict::kRe);
  // A runtime of the host that is missing is the judge's fault.
  SandboxProcess host = Run(kScratch, {"/usr/bin/noj-no-such-runtime"});
  ASSERT_TRUE(host.result.ok());
  EXPECT_EQ(host.result->verdict, Verdict::kSe);
}

}  // namespace
}  // namespace noj::sandbox::testing
