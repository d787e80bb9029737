#pragma once
// Fixture for end-to-end sandbox tests: each test gets its own box directory and box id, runs
// the real noj-sandbox binary inside an outer cgroup fence, and is checked afterwards for
// leaks (no process of the box uid, no box cgroup left).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "outer_cgroup.h"
#include "sandbox/run_request.h"
#include "sandbox/run_result.h"
#include "sandbox_process.h"
#include "warm_helper.h"

namespace noj::sandbox::testing {

class SandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  // True when bombs may run: outer fence limits active AND noj-sandbox confirms
  // --require cgroup-mem,cgroup-pids. Sets `why` otherwise.
  static bool BombSafe(std::string* why);

  // Copies the attack program `name` into the box dir; returns its path inside the box.
  std::string InstallProgram(const std::string& name);

  // noj-sandbox --box-dir <box> --box-id <id> [--cgroup-parent ...] <flags> -- <command>
  SandboxProcess Run(const std::vector<std::string>& flags,
                     const std::vector<std::string>& command);
  // Run() without waiting.
  StartedProcess Start(const std::vector<std::string>& flags,
                       const std::vector<std::string>& command);
  // Run() that must produce a result line; fails the test otherwise. With
  // UseScratchBox(), runs the command twice, each in a fresh scratch box made from the same
  // box dir (the first and a later case of one job), expects the same verdict from both and
  // returns the later one.
  RunResult RunOk(const std::vector<std::string>& flags, const std::vector<std::string>& command);

  RunResult RunOnce(const std::vector<std::string>& flags, const std::vector<std::string>& command);

  // From now on RunOk() runs like noj-runner's cases: --scratch, and what the program wrote
  // in /box collected where ReadBoxFile() looks first.
  void UseScratchBox();
  // UseScratchBox(), and every run goes through one warm helper (noj-sandbox --serve) for the
  // test, as noj-runner's cases do. RunOk() then runs the command as the 1st, the 2nd and the
  // 10th case of the helper (harmless cases in between), expects the same verdict each time
  // and nothing of the box's uid alive after any case, and returns the 10th.
  void UseWarmBox();
  // The test's warm helper (started on first use). REQUIRES: UseWarmBox().
  WarmHelper& warm();

  std::string ReadBoxFile(const std::string& name) const;
  bool BoxFileExists(const std::string& name) const;
  std::vector<std::string> Args(const std::vector<std::string>& flags,
                                const std::vector<std::string>& command) const;
  std::string MakeTempDir(const std::string& tag);

  static std::string SandboxBinary();
  static OuterCgroup* outer() { return outer_.get(); }

  std::string box_dir_;
  int box_id_ = 0;
  BoxMode box_mode_ = BoxMode::kWritable;
  std::string collect_dir_;  // kScratch
  bool use_warm_ = false;
  std::unique_ptr<WarmHelper> warm_;
  std::vector<std::string> temp_dirs_;

 private:
  static std::unique_ptr<OuterCgroup> outer_;
};

}  // namespace noj::sandbox::testing
