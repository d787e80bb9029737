#include "sandbox_fixture.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sandbox/linux_impl/uid_sweep.h"
#include "sandbox/run_request.h"

namespace noj::sandbox::testing {

std::unique_ptr<OuterCgroup> SandboxTest::outer_;

namespace {

constexpr int64_t kOuterMemory = 768LL << 20;
constexpr int64_t kOuterPids = 256;

}  // namespace

std::string SandboxTest::SandboxBinary() { return NOJ_SANDBOX_BIN; }

void SandboxTest::SetUpTestSuite() {
  Result<std::unique_ptr<OuterCgroup>> outer = OuterCgroup::Create(kOuterMemory, kOuterPids);
  if (outer.ok()) outer_ = std::move(*outer);
}

void SandboxTest::TearDownTestSuite() {
  outer_.reset();
  // Box cgroups a killed supervisor may have left.
  RunSandboxProcess(SandboxBinary(), {"--cleanup"}, {});
}

bool SandboxTest::BombSafe(std::string* why) {
  if (!outer_ || !outer_->limits_active()) {
    *why = "SAFETY: outer cgroup with pids.max and a memory limit is not available";
    return false;
  }
  SandboxProcess probe = RunSandboxProcess(
      SandboxBinary(), {"--probe", "--require", "cgroup-mem,cgroup-pids"}, outer_->join_fds());
  if (probe.exit_code != 0) {
    *why = "SAFETY: noj-sandbox cannot enforce memory and pids limits here: " + probe.stderr_text;
    return false;
  }
  return true;
}

std::string SandboxTest::MakeTempDir(const std::string& tag) {
  std::string pattern = "/tmp/noj-sbtest-" + tag + "-XXXXXX";
  char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  temp_dirs_.push_back(pattern);
  return pattern;
}

void SandboxTest::SetUp() {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: noj-sandbox uses dedicated uids and cgroups";
  box_dir_ = MakeTempDir("box");
  // Distinct per concurrently running test process (ctest -j): pids differ.
  box_id_ = 500 + static_cast<int>(::getpid() % 2000) * 2;
}

void SandboxTest::TearDown() {
  if (warm_) {
    int status = warm_->Close();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the warm helper ended with status " << status;
    warm_.reset();
  }
  std::vector<pid_t> left = linux_impl::ProcessesOfUid(static_cast<uid_t>(BoxUid(box_id_)));
  EXPECT_TRUE(left.empty()) << left.size() << " process(es) of the box uid survived";
  if (outer_) {
    std::vector<std::string> cgroups = outer_->LeftoverBoxCgroups();
    EXPECT_TRUE(cgroups.empty()) << "box cgroup left: " << cgroups.front();
  }
  for (const std::string& dir : temp_dirs_) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

std::string SandboxTest::InstallProgram(const std::string& name) {
  std::string target = box_dir_ + "/" + name;
  std::filesystem::copy_file(std::string(NOJ_ATTACK_DIR) + "/" + name, target,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(target, std::filesystem::perms(0755));
  return "/box/" + name;
}

std::vector<std::string> SandboxTest::Args(const std::vector<std::string>& flags,
                                           const std::vector<std::string>& command) const {
  std::vector<std::string> args = {"--box-dir", box_dir_, "--box-id", std::to_string(box_id_)};
  bool own_parent = std::find(flags.begin(), flags.end(), "--cgroup-parent") != flags.end();
  if (outer_ && !outer_->v2_parent().empty() && !own_parent) {
    args.insert(args.end(), {"--cgroup-parent", outer_->v2_parent()});
  }
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back("--");
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

StartedProcess SandboxTest::Start(const std::vector<std::string>& flags,
                                  const std::vector<std::string>& command) {
  return StartSandboxProcess(SandboxBinary(), Args(flags, command),
                             outer_ ? outer_->join_fds() : std::vector<int>{});
}

SandboxProcess SandboxTest::Run(const std::vector<std::string>& flags,
                                const std::vector<std::string>& command) {
  return FinishSandboxProcess(Start(flags, command));
}

void SandboxTest::UseScratchBox() {
  box_mode_ = BoxMode::kScratch;
  collect_dir_ = MakeTempDir("collect");
}

void SandboxTest::UseWarmBox() {
  UseScratchBox();
  use_warm_ = true;
}

WarmHelper& SandboxTest::warm() {
  if (!warm_) {
    warm_ = std::make_unique<WarmHelper>(SandboxBinary(), box_id_,
                                         outer_ ? outer_->join_fds() : std::vector<int>{});
  }
  return *warm_;
}

RunResult SandboxTest::RunOk(const std::vector<std::string>& flags,
                             const std::vector<std::string>& command) {
  if (box_mode_ != BoxMode::kScratch) return RunOnce(flags, command);
  std::vector<std::string> scratch = flags;
  scratch.insert(scratch.end(), {"--scratch", "--collect", collect_dir_});
  if (use_warm_) {
    RunResult kept = SandboxError("not run");
    std::string first_verdict;
    for (int c = 1; c <= 10; ++c) {
      bool attack = c == 1 || c == 2 || c == 10;
      for (const auto& e : std::filesystem::directory_iterator(collect_dir_)) {
        std::filesystem::remove_all(e.path());
      }
      RunResult r = attack ? RunOnce(scratch, command) : RunOnce({"--scratch"}, {"/usr/bin/true"});
      // The result comes once the case's init killed and reaped everything of the case.
      std::vector<pid_t> left = linux_impl::ProcessesOfUid(static_cast<uid_t>(BoxUid(box_id_)));
      EXPECT_TRUE(left.empty()) << left.size() << " process(es) outlived case " << c;
      if (!attack) {
        EXPECT_EQ(r.verdict, Verdict::kOk) << "harmless case " << c << ": " << r.error;
        continue;
      }
      if (first_verdict.empty()) first_verdict = VerdictName(r.verdict);
      EXPECT_EQ(first_verdict, VerdictName(r.verdict)) << "case " << c << " of the warm box";
      kept = r;
    }
    return kept;
  }
  RunResult first = RunOnce(scratch, command);
  for (const auto& e : std::filesystem::directory_iterator(collect_dir_)) {
    std::filesystem::remove_all(e.path());
  }
  RunResult later = RunOnce(scratch, command);
  EXPECT_EQ(VerdictName(first.verdict), VerdictName(later.verdict))
      << "the first and a later case of the same box dir differ";
  return later;
}

RunResult SandboxTest::RunOnce(const std::vector<std::string>& flags,
                               const std::vector<std::string>& command) {
  if (use_warm_) {
    Result<RunResult> r = warm().Run(Args(flags, command));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return SandboxError("no result line");
    EXPECT_NE(r->verdict, Verdict::kSe) << r->error;
    return *r;
  }
  SandboxProcess p = Run(flags, command);
  EXPECT_TRUE(p.result.ok()) << p.result.status().ToString() << "\nstdout: " << p.stdout_text
                             << "\nstderr: " << p.stderr_text;
  if (!p.result.ok()) return SandboxError("no result line");
  EXPECT_NE(p.result->verdict, Verdict::kSe) << p.result->error;
  return *p.result;
}

bool SandboxTest::BoxFileExists(const std::string& name) const {
  return (!collect_dir_.empty() && std::filesystem::exists(collect_dir_ + "/" + name)) ||
         std::filesystem::exists(box_dir_ + "/" + name);
}

std::string SandboxTest::ReadBoxFile(const std::string& name) const {
  bool collected = !collect_dir_.empty() && std::filesystem::exists(collect_dir_ + "/" + name);
  std::ifstream in((collected ? collect_dir_ : box_dir_) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace noj::sandbox::testing
