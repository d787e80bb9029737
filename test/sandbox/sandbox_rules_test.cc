// Pure parts of the sandbox: limits, tier selection (the refusal paths with faked probes),
// verdict precedence, result line, command line, cgroup layout parsing, mount plan checks.

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sandbox/command_line.h"
#include "sandbox/limits.h"
#include "sandbox/linux_impl/box_rlimits.h"
#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/seccomp_compiler.h"
#include "sandbox/linux_impl/seccomp_filter.h"
#include "sandbox/linux_impl/sys_util.h"
#include "sandbox/run_result.h"
#include "sandbox/tier.h"
#include "sandbox/verdict_rules.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::sandbox {
namespace {

ProbeFacts FullFacts() {
  ProbeFacts f;
  f.root = true;
  f.namespaces = true;
  f.memory = CgroupVersion::kV1;
  f.pids = CgroupVersion::kV1;
  f.cpu = CgroupVersion::kV2;
  f.cgroup_kill = true;
  f.seccomp = true;
  f.landlock_scope = true;
  return f;
}

TEST(Limits, WallDefaultsToTwiceCpuOrCpuPlusOneSecond) {
  Limits l;
  l.cpu_ms = 300;
  EXPECT_EQ(EffectiveWallMs(l), 1300);
  l.cpu_ms = 5000;
  EXPECT_EQ(EffectiveWallMs(l), 10000);
  l.wall_ms = 42;
  EXPECT_EQ(EffectiveWallMs(l), 42);
}

TEST(Limits, OutOfRangeIsInvalidArgument) {
  Limits l;
  l.memory_kib = 1;
  EXPECT_EQ(ValidateLimits(l).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ValidateLimits(Limits{}).ok());
}

TEST(Tier, FullHostGivesEveryProtection) {
  Result<Protections> p = SelectProtections(FullFacts(), {});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->ToString(),
            "cgroup-mem=v1 cgroup-pids=v1 cgroup-cpu=v2 kill=cgroup ns=pid,mnt,net,ipc,uts "
            "seccomp=yes landlock=scope uid=dedicated");
}

TEST(Tier, RequiredProtectionMissingFailsClosed) {
  ProbeFacts f = FullFacts();
  f.memory = CgroupVersion::kNone;
  Result<Protections> p = SelectProtections(f, {{"cgroup-mem", "seccomp"}, false});
  EXPECT_EQ(p.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("cgroup-mem"), std::string::npos);
  EXPECT_TRUE(SelectProtections(f, {{"cgroup-pids", "ns", "seccomp", "uid"}, false}).ok());
}

TEST(Tier, UnknownRequirementIsInvalidArgument) {
  EXPECT_EQ(SelectProtections(FullFacts(), {{"magic"}, false}).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(Tier, RootWithNothingButRlimitsRefusesUnlessInsecure) {
  ProbeFacts f;
  f.root = true;
  f.seccomp = true;
  EXPECT_EQ(SelectProtections(f, {}).status().code(), ErrorCode::kFailedPrecondition);
  Result<Protections> p = SelectProtections(f, {{}, true});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kill, KillMechanism::kUidSweep);
  EXPECT_TRUE(p->dedicated_uid);
}

TEST(Tier, CgroupsWithoutNamespacesStillRunWithTheDedicatedUid) {
  ProbeFacts f = FullFacts();
  f.namespaces = false;
  f.cgroup_kill = false;
  Result<Protections> p = SelectProtections(f, {});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->namespaces);
  EXPECT_EQ(p->kill, KillMechanism::kUidSweep);
}

TEST(Tier, NotRootRefusesUnlessInsecure) {
  ProbeFacts f = FullFacts();
  f.root = false;
  EXPECT_EQ(SelectProtections(f, {}).status().code(), ErrorCode::kFailedPrecondition);
  Result<Protections> p = SelectProtections(f, {{}, true});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->namespaces);
  EXPECT_FALSE(p->dedicated_uid);
}

TEST(Verdict, PrecedenceOurKillThenMemoryThenOutputThenCpuThenCrash) {
  Limits l;
  l.cpu_ms = 1000;
  l.memory_kib = 65536;
  l.output_bytes = 100;
  RunFacts f;
  f.exited = true;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kOk);
  f.exit_code = 1;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kRe);
  f.memory_limit_hit = true;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kMle);
  f.cpu_us = 1000001;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kTle);
  RunFacts full = f;
  full.scratch_full = true;  // a filled /tmp or scratch /box counts as output
  EXPECT_EQ(DecideVerdict(full, l).verdict, Verdict::kOle);
  f.stdout_bytes = 101;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kOle);
  f.oom_killed = true;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kMle);
  f.killed_by_us = KillReason::kWall;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kTle);
}

TEST(Verdict, SignalsAreReportedAndClassified) {
  Limits l;
  RunFacts f;
  f.signal = SIGXFSZ;
  RunResult r = DecideVerdict(f, l);
  EXPECT_EQ(r.verdict, Verdict::kOle);
  EXPECT_EQ(r.signal, SIGXFSZ);
  f.signal = SIGXCPU;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kTle);
  f.signal = SIGSEGV;
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kRe);
  f.signal = 0;
  f.exited = true;
  f.stdout_bytes = l.output_bytes;  // exactly the limit is fine
  EXPECT_EQ(DecideVerdict(f, l).verdict, Verdict::kOk);
}

TEST(ResultLine, RoundTripsAndCarriesErrorOnlyForSe) {
  RunResult r;
  r.verdict = Verdict::kTle;
  r.signal = 9;
  r.cpu_ms = 1001;
  r.wall_ms = 1010;
  r.memory_kib = 2048;
  r.protections = "seccomp=yes";
  std::string line = FormatResultLine(r);
  EXPECT_EQ(line,
            "{\"verdict\":\"TLE\",\"exit_code\":0,\"signal\":9,\"cpu_ms\":1001,\"wall_ms\":1010,"
            "\"memory_kib\":2048,\"protections\":\"seccomp=yes\"}");
  Result<RunResult> back = ParseResultLine(line);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->verdict, Verdict::kTle);
  EXPECT_EQ(back->cpu_ms, 1001);
  RunResult se = SandboxError("bad \"quote\"\n", "x");
  Result<RunResult> se_back = ParseResultLine(FormatResultLine(se));
  ASSERT_TRUE(se_back.ok());
  EXPECT_EQ(se_back->error, "bad \"quote\"\n");
  EXPECT_EQ(ParseResultLine("{\"verdict\":\"MAYBE\"}").status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(CommandLine, ParsesEveryFlagAndKeepsProgramArgsVerbatim) {
  Result<CommandLine> cl = ParseCommandLine(
      {"--box-dir",    "/b",      "--box-id",  "3",          "--cpu-ms",  "20000",
       "--memory-kib", "1048576", "--stdout",  "out",        "--ro-bind", "/opt/jdk:/opt/jdk",
       "--env",        "A=1",     "--require", "ns,seccomp", "--",        "/usr/bin/g++",
       "-O2",          "--",      "x.cc"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->mode, Mode::kRun);
  const RunRequest& r = cl->request;
  EXPECT_EQ(r.box_id, 3);
  EXPECT_EQ(r.limits.cpu_ms, 20000);
  EXPECT_EQ(r.argv, (std::vector<std::string>{"/usr/bin/g++", "-O2", "--", "x.cc"}));
  EXPECT_EQ(r.require, (std::vector<std::string>{"ns", "seccomp"}));
  ASSERT_EQ(r.ro_binds.size(), 1u);
  EXPECT_EQ(r.ro_binds[0].target, "/opt/jdk");
  Result<CommandLine> again = ParseCommandLine(BuildCommandLine(r));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->request.argv, r.argv);
  EXPECT_EQ(again->request.limits.memory_kib, r.limits.memory_kib);
  EXPECT_EQ(again->request.stdout_path, "out");
}

// Interactive runs: the program's stdin/stdout are pipes noj-runner passes down.
TEST(CommandLine, InheritedStdioDescriptorsRoundTrip) {
  Result<CommandLine> cl = ParseCommandLine(
      {"--box-dir", "/b", "--box-id", "3", "--stdin-fd", "7", "--stdout-fd=12", "--", "./main"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->request.stdin_fd, 7);
  EXPECT_EQ(cl->request.stdout_fd, 12);
  Result<CommandLine> again = ParseCommandLine(BuildCommandLine(cl->request));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->request.stdin_fd, 7);
  EXPECT_EQ(again->request.stdout_fd, 12);
  RunRequest plain;
  plain.box_dir = "/b";
  plain.argv = {"./main"};
  for (const std::string& arg : BuildCommandLine(plain))
    EXPECT_EQ(arg.find("-fd"), std::string::npos) << arg;
}

TEST(CommandLine, RejectsBadInheritedDescriptors) {
  auto code = [](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--box-dir", "/b", "--box-id", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--", "/x"});
    return ParseCommandLine(args).status().code();
  };
  for (const char* fd : {"0", "1", "2", "-1", "-7", "99999999999", "x"}) {
    EXPECT_EQ(code({"--stdin-fd", fd}), ErrorCode::kInvalidArgument) << fd;
    EXPECT_EQ(code({"--stdout-fd", fd}), ErrorCode::kInvalidArgument) << fd;
  }
  EXPECT_EQ(code({"--stdin-fd", "5", "--stdin", "in.txt"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--stdout-fd", "5", "--stdout", "out.txt"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--stdin-fd", "5", "--stdout-fd", "5"}), ErrorCode::kInvalidArgument);
}

TEST(CommandLine, RejectsBadInput) {
  auto code = [](std::vector<std::string> args) { return ParseCommandLine(args).status().code(); };
  EXPECT_EQ(code({"--box-dir", "/b", "--box-id", "1"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--box-dir", "rel", "--box-id", "1", "--", "/x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--box-dir", "/b", "--box-id", "9999", "--", "/x"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--box-dir", "/b", "--box-id", "1", "--env", "NOEQUALS", "--", "/x"}),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--box-dir", "/b", "--box-id", "1", "--ro-bind", "/a:/box/a", "--", "/x"}),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code({"--bogus"}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseCommandLine({"--probe"})->mode, Mode::kProbe);
}

TEST(CgroupLayout, HybridHostLikeOurs) {
  const char* mountinfo =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
      "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  const char* cgroup = "8:pids:/\n4:memory:/process_api/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n";
  linux_impl::CgroupLayout l = linux_impl::ParseCgroupLayout(mountinfo, cgroup);
  EXPECT_EQ(l.v2_mount, "/sys/fs/cgroup/unified");
  EXPECT_EQ(l.v2_own, "/sys/fs/cgroup/unified");
  EXPECT_EQ(l.v1_memory, "/sys/fs/cgroup/memory/process_api/abc");
  EXPECT_EQ(l.v1_pids, "/sys/fs/cgroup/pids");
  EXPECT_EQ(l.v1_cpuacct, "/sys/fs/cgroup/cpuacct");
}

TEST(CgroupLayout, PureV2WithCombinedV1NamesIgnored) {
  const char* mountinfo = "25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  linux_impl::CgroupLayout l =
      linux_impl::ParseCgroupLayout(mountinfo, "0::/system.slice/noj-runner.service\n");
  EXPECT_EQ(l.v2_own, "/sys/fs/cgroup/system.slice/noj-runner.service");
  EXPECT_TRUE(l.v1_memory.empty());
  EXPECT_EQ(linux_impl::ParseCgroupLayout("1 2 0:3 / /c rw - cgroup cgroup rw,cpu,cpuacct\n",
                                          "2:cpu,cpuacct:/x\n")
                .v1_cpuacct,
            "/c/x");
}

TEST(KeyedValue, FindsCgroupStatFields) {
  EXPECT_EQ(linux_impl::FindKeyedValue("usage_usec 120\nuser_usec 100\n", "usage_usec"), 120);
  EXPECT_EQ(linux_impl::FindKeyedValue("low 0\nmax 3\noom_kill 1\n", "oom_kill"), 1);
  EXPECT_EQ(linux_impl::FindKeyedValue("oom_kill_disable 0\noom_kill 2\n", "oom_kill"), 2);
  EXPECT_FALSE(linux_impl::FindKeyedValue("max 3\n", "oom").has_value());
}

TEST(MountPlan, RejectsBindsOverTheSandboxLayout) {
  linux_impl::RootfsSpec spec{
      "/tmp", BoxMode::kWritable, {}, -1, -1, {{"/usr/bin", "/usr/local/x"}}};
  EXPECT_EQ(linux_impl::MountPlan::Build(spec).status().code(), ErrorCode::kInvalidArgument);
  spec.ro_binds = {{"/no/such/source", "/opt/x"}};
  EXPECT_EQ(linux_impl::MountPlan::Build(spec).status().code(), ErrorCode::kNotFound);
  spec.ro_binds = {{"/usr/bin", "/opt/tools/bin"}};
  Result<linux_impl::MountPlan> plan = linux_impl::MountPlan::Build(spec);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_GT(plan->size(), 10u);
}

TEST(MountPlan, ScratchBoxAttachesATmpfsAndBindsEachEntryReadOnly) {
  noj::testing::TempDir dir;
  std::ofstream(dir.File("main")) << "binary";
  std::filesystem::create_directory(dir.path() / "share");
  std::filesystem::create_symlink("/etc/shadow", dir.path() / "link");
  linux_impl::RootfsSpec spec{
      dir.path().string(), BoxMode::kScratch, {"main", "share", "link"}, 7, 8, {}};
  ASSERT_OK_AND_ASSIGN(linux_impl::MountPlan plan, linux_impl::MountPlan::Build(spec));
  std::string all;
  int attached_box = 0, attached_tmp = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const linux_impl::MountStep& step = plan.steps()[i];
    if (step.kind == linux_impl::MountStep::Kind::kAttach) {
      attached_box += step.fd == 7 && std::string(step.target).ends_with("/box");
      attached_tmp += step.fd == 8 && std::string(step.target).ends_with("/tmp");
    }
    all += plan.Describe(i) + "\n";
  }
  EXPECT_EQ(attached_box, 1);
  EXPECT_EQ(attached_tmp, 1);
  EXPECT_NE(all.find("mount " + dir.File("main") + " on"), std::string::npos) << all;
  EXPECT_NE(all.find("mount " + dir.File("share") + " on"), std::string::npos) << all;
  EXPECT_EQ(all.find(dir.File("link")), std::string::npos) << "a link was bound:\n" << all;
}

// Debian's JDKs read their conf from /etc/java-N-openjdk (no JVM starts without it): each such
// directory of the host is bound, and of /etc nothing else but alternatives and the loader cache.
TEST(MountPlan, BindsTheJdkConfigurationAndNothingElseOfEtc) {
  noj::testing::TempDir dir;
  linux_impl::RootfsSpec spec{dir.path().string(), BoxMode::kWritable, {}, -1, -1, {}};
  ASSERT_OK_AND_ASSIGN(linux_impl::MountPlan plan, linux_impl::MountPlan::Build(spec));
  std::vector<std::string> etc_binds;
  for (size_t i = 0; i < plan.size(); ++i) {
    const linux_impl::MountStep& step = plan.steps()[i];
    if (step.kind == linux_impl::MountStep::Kind::kMount && step.source != nullptr &&
        std::string_view(step.source).starts_with("/etc/"))
      etc_binds.emplace_back(step.source);
  }
  std::vector<std::string> expected;
  for (const auto& e : std::filesystem::directory_iterator("/etc")) {
    std::string name = e.path().filename().string();
    if (e.is_directory() && !e.is_symlink() && name.starts_with("java-") &&
        name.ends_with("-openjdk"))
      expected.push_back(e.path().string());
  }
  if (std::filesystem::is_directory("/etc/alternatives")) expected.push_back("/etc/alternatives");
  if (std::filesystem::is_regular_file("/etc/ld.so.cache")) expected.push_back("/etc/ld.so.cache");
  std::sort(etc_binds.begin(), etc_binds.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(etc_binds, expected);
}

bool HasRlimit(const std::vector<linux_impl::RlimitSetting>& r, int resource, rlim_t value) {
  for (const linux_impl::RlimitSetting& s : r) {
    if (s.resource == resource) return s.value.rlim_cur == value;
  }
  return false;
}

TEST(Rlimits, CgroupsReplaceAddressSpaceAndProcessLimits) {
  Limits l;
  l.cpu_ms = 1500;
  l.memory_kib = 1024;
  l.output_bytes = 100;
  l.max_processes = 8;
  Protections p;
  p.memory = CgroupVersion::kV1;
  p.pids = CgroupVersion::kV2;
  std::vector<linux_impl::RlimitSetting> with = linux_impl::ComputeRlimits(l, p);
  EXPECT_TRUE(HasRlimit(with, RLIMIT_CPU, 3));  // ceil(1.5 s) + 1 s backstop
  EXPECT_TRUE(HasRlimit(with, RLIMIT_FSIZE, 101));
  EXPECT_TRUE(HasRlimit(with, RLIMIT_STACK, 1024 * 1024));
  EXPECT_TRUE(HasRlimit(with, RLIMIT_CORE, 0));
  EXPECT_FALSE(HasRlimit(with, RLIMIT_AS, 1024 * 1024));
  EXPECT_FALSE(HasRlimit(with, RLIMIT_NPROC, 8));
  std::vector<linux_impl::RlimitSetting> without = linux_impl::ComputeRlimits(l, Protections{});
  EXPECT_TRUE(HasRlimit(without, RLIMIT_AS, 1024 * 1024));
  EXPECT_TRUE(HasRlimit(without, RLIMIT_NPROC, 8));
}

TEST(CgroupLayout, ConventionalPathsFromProcSelfCgroup) {
  linux_impl::CgroupLayout l = linux_impl::ConventionalCgroupLayout(
      "8:pids:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/x\n0::/\n", false);
  EXPECT_EQ(l.v2_own, "/sys/fs/cgroup/unified");
  EXPECT_EQ(l.v1_memory, "/sys/fs/cgroup/memory/process_api/abc");
  EXPECT_EQ(l.v1_pids, "/sys/fs/cgroup/pids");
  EXPECT_EQ(l.v1_cpuacct, "/sys/fs/cgroup/cpu,cpuacct/x");
  EXPECT_EQ(linux_impl::ConventionalCgroupLayout("0::/a.slice/b\n", true).v2_own,
            "/sys/fs/cgroup/a.slice/b");
}

TEST(Seccomp, EmbeddedProgramIsWhatLibseccompCompilesNow) {
  Result<std::vector<sock_filter>> compiled = linux_impl::CompileSeccompFilter();
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  linux_impl::SeccompProgram prebuilt = linux_impl::SeccompProgram::Prebuilt();
  ASSERT_EQ(compiled->size(), prebuilt.size());
  EXPECT_EQ(std::memcmp(compiled->data(), prebuilt.instructions().data(),
                        compiled->size() * sizeof(sock_filter)),
            0);
}

}  // namespace
}  // namespace noj::sandbox
