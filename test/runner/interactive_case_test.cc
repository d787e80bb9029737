// Interactive cases with the real noj-sandbox (judging.md §4): the example problem's interactor
// (examples/problems/interactive, testlib conventions) and its solutions compiled here with g++,
// each run in two boxes joined only by pipes. Every verdict of §4's precedence, idleness, a stop
// request, and what the contestant must not reach. Needs root (dedicated uids, cgroups).

#include "runner/interactive_case.h"

#include <dirent.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "runner/child_process.h"
#include "runner/fs_util.h"
#include "runner/owned_fd.h"
#include "runner/sandbox_process_executor.h"
#include "sandbox/command_line.h"
#include "sandbox/run_request.h"
#include "support/host_check.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using api::Verdict;
using ::testing::HasSubstr;

// Box ids of this test only (other suites: 4990 the pipeline test, 4900+ runner e2e, 4600+ demo).
constexpr int kProgramBox = 4980;
constexpr int kInteractorBox = 4981;

const fs::path kExample = fs::path(NOJ_SOURCE_DIR) / "examples/problems/interactive";

// Plays A+B correctly after trying every way around the pipes; reports what it reached.
constexpr char kSpy[] = R"(#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <unistd.h>
static int leaks = 0;
static void Leak(const char* what, long n) { std::fprintf(stderr, "LEAK %s %ld\n", what, n); ++leaks; }
static bool Numeric(const char* s) { for (; *s; ++s) if (*s < '0' || *s > '9') return false; return true; }
int main() {
  const char* paths[] = {"/box/input", "/box/tout", "/box/interactor", "input", "tout", HOST_ROOT,
                         HOST_ROOT "/bin/interactor"};
  for (const char* p : paths) {
    int fd = open(p, O_RDONLY);
    if (fd >= 0) { Leak(p, 0); close(fd); }
  }
  const long self = getpid();
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d))
      if (Numeric(e->d_name) && std::atol(e->d_name) != self) Leak("process", std::atol(e->d_name));
    closedir(d);
  }
  for (long pid = 1; pid < 4096; ++pid) {
    if (pid == self) continue;
    if (kill(pid, 0) == 0) Leak("signal", pid);
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) Leak("ptrace", pid);
  }
  kill(-1, SIGKILL);  // everything we may signal but ourselves: must not reach the interactor
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d))
      if (Numeric(e->d_name) && std::atol(e->d_name) > 2 && std::atol(e->d_name) != dirfd(d))
        Leak("descriptor", std::atol(e->d_name));
    closedir(d);
  }
  std::fprintf(stderr, "leaks=%d uid=%d\n", leaks, (int)getuid());
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b);
    std::fflush(stdout);
  }
}
)";

// Answers right, then leaves a daemon behind (it holds the pipe to the interactor).
constexpr char kDaemon[] = R"(#include <cstdio>
#include <unistd.h>
int main() {
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b);
    std::fflush(stdout);
  }
  if (fork() == 0) { setsid(); for (;;) pause(); }
  return 0;
}
)";

// Answers the first pair, then crashes while the interactor waits for the second answer.
constexpr char kCrashMidDialogue[] = R"(#include <cstdio>
#include <cstdlib>
int main() {
  long n;
  long long a, b;
  if (std::scanf("%ld %lld %lld", &n, &a, &b) != 3) return 1;
  std::printf("%lld\n", a + b);
  std::fflush(stdout);
  std::abort();
}
)";

// Plays the whole dialogue, then says the test data is wrong (testlib's _fail: exit 3).
constexpr char kFailingInteractor[] = R"(#include <cstdio>
int main(int argc, char** argv) {
  FILE* in = argc > 1 ? std::fopen(argv[1], "r") : nullptr;
  long n = 0;
  if (!in || std::fscanf(in, "%ld", &n) != 1) return 3;
  std::printf("%ld\n", n);
  std::fflush(stdout);
  for (long i = 0; i < n; ++i) {
    long long a = 0, b = 0, c = 0;
    if (std::fscanf(in, "%lld %lld", &a, &b) != 2) return 3;
    std::printf("%lld %lld\n", a, b);
    std::fflush(stdout);
    if (std::scanf("%lld", &c) != 1) return 1;
  }
  std::fprintf(stderr, "FAIL the test data contradicts itself\n");
  return 3;
}
)";

// Never gives up: counts right answers and gives points (testlib's quitp: exit 7).
constexpr char kPointsInteractor[] = R"(#include <cstdio>
int main(int argc, char** argv) {
  FILE* in = argc > 1 ? std::fopen(argv[1], "r") : nullptr;
  long n = 0, right = 0;
  if (!in || std::fscanf(in, "%ld", &n) != 1 || n < 1) return 3;
  std::printf("%ld\n", n);
  std::fflush(stdout);
  for (long i = 0; i < n; ++i) {
    long long a = 0, b = 0, c = 0;
    if (std::fscanf(in, "%lld %lld", &a, &b) != 2) return 3;
    std::printf("%lld %lld\n", a, b);
    std::fflush(stdout);
    if (std::scanf("%lld", &c) == 1 && c == a + b) ++right;
  }
  if (right == n) { std::fprintf(stderr, "ok all %ld right\n", n); return 0; }
  std::fprintf(stderr, "points %.6f %ld of %ld right\n", (double)right / n, right, n);
  return 7;
}
)";

// Burns its CPU without a word: its own limit must end it.
constexpr char kSpinningInteractor[] = "int main(){volatile unsigned long x=0;for(;;)x++;}\n";

// The uids' processes still alive (none may outlive a run).
std::vector<int> ProcessesOfUid(int uid) {
  std::vector<int> found;
  DIR* d = ::opendir("/proc");
  if (d == nullptr) return found;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status("/proc/" + name + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("Uid:", 0) != 0) continue;
      if (std::stoi(line.substr(4)) == uid) found.push_back(std::stoi(name));
      break;
    }
  }
  ::closedir(d);
  return found;
}

class InteractiveCaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!noj::testing::MissingRoot().empty() || !noj::testing::MissingProgram("g++").empty())
      return;  // SetUp skips with the reason
    bins_ = std::make_unique<noj::testing::TempDir>();
    fs::path bin = bins_->path() / "bin", src = bins_->path() / "src";
    if (!MakeDirs(bin).ok() || !MakeDirs(src).ok()) {
      build_error_ = "cannot make the build directories";
      return;
    }
    std::map<std::string, fs::path> sources = {
        {"interactor", kExample / "testdata/interactor/interactor.cpp"},
        {"ac", kExample / "solutions/ac.cpp"},
        {"wa", kExample / "solutions/wa.cpp"},
        {"tle_idle", kExample / "solutions/tle_idle.cpp"},
        {"early_exit", kExample / "solutions/early_exit.cpp"},
        {"re_after", kExample / "solutions/re_after.cpp"}};
    const std::pair<std::string, const char*> inline_sources[] = {
        {"spy", kSpy},
        {"daemon", kDaemon},
        {"crash_mid", kCrashMidDialogue},
        {"failing_interactor", kFailingInteractor},
        {"points_interactor", kPointsInteractor},
        {"spinning_interactor", kSpinningInteractor}};
    for (const auto& [name, text] : inline_sources) {
      sources[name] = src / (name + ".cpp");
      if (!WriteFile(sources[name], text).ok()) build_error_ = "cannot write sources";
    }
    // All at once: the compiles are most of this suite's time.
    std::vector<std::pair<std::string, ChildProcess>> compiles;
    for (const auto& [name, source] : sources) {
      std::vector<std::string> argv = {"/usr/bin/g++",        "-O2",          "-std=c++17", "-o",
                                       (bin / name).string(), source.string()};
      if (name == "spy") argv.push_back("-DHOST_ROOT=\"" + bins_->path().string() + "\"");
      auto child = ChildProcess::Start(
          argv, {.stderr_path = src / (name + ".log"), .backstop = std::chrono::seconds(300)});
      if (!child.ok()) {
        build_error_ = child.status().message();
        return;
      }
      compiles.emplace_back(name, std::move(*child));
    }
    for (auto& [name, child] : compiles) {
      ChildResult r = child.Wait({});
      if (r.wait_status != 0)
        build_error_ += name + ": " + ReadFilePrefix(src / (name + ".log"), 2000) + "\n";
    }
  }
  static void TearDownTestSuite() { bins_.reset(); }

  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    if (std::string why = noj::testing::MissingProgram("g++"); !why.empty()) GTEST_SKIP() << why;
    auto probe = executor_.Probe();
    if (!probe.ok()) GTEST_SKIP() << probe.status().message();
    ASSERT_TRUE(build_error_.empty()) << build_error_;
  }

  void TearDown() override {
    EXPECT_THAT(ProcessesOfUid(sandbox::BoxUid(kProgramBox)), ::testing::IsEmpty());
    EXPECT_THAT(ProcessesOfUid(sandbox::BoxUid(kInteractorBox)), ::testing::IsEmpty());
  }

  static fs::path Bin(const std::string& name) { return bins_->path() / "bin" / name; }

  // Two box dirs holding the program (as `main`) and the interactor with the case's input.
  InteractiveCaseSpec Spec(const std::string& program, const std::string& interactor = "interactor",
                           const std::string& case_name = "0000", int64_t time_ms = 1000) {
    fs::path work = tmp_.path() / ("run" + std::to_string(runs_++));
    fs::path prog = work / "prog", inter = work / "inter";
    for (const fs::path& d : {prog, inter, work / "io", work / "tout"}) EXPECT_OK(MakeDirs(d));
    InteractiveCaseSpec spec;
    if (program == "ac.py") {
      fs::copy_file(kExample / "solutions/ac.py", prog / "main.py");
      spec.program.argv = {"/usr/bin/python3", "main.py"};
    } else {
      fs::copy_file(Bin(program), prog / "main");
      spec.program.argv = {"./main"};
    }
    fs::copy_file(Bin(interactor), inter / "interactor");
    fs::copy_file(kExample / "testdata" / (case_name + ".in"), inter / "input");
    spec.program.box_dir = prog.string();
    spec.program.box_mode = sandbox::BoxMode::kScratch;
    spec.program.box_id = kProgramBox;
    spec.program.stderr_path = (work / "io/program.err").string();
    spec.program.limits.cpu_ms = time_ms;
    spec.program.limits.memory_kib = 65536;
    spec.interactor.box_dir = inter.string();
    spec.interactor.box_mode = sandbox::BoxMode::kScratch;
    spec.interactor.collect_dir = (work / "tout").string();
    spec.interactor.box_id = kInteractorBox;
    spec.interactor.argv = {"./interactor", "input", "tout"};
    spec.interactor.stderr_path = (work / "io/interactor.err").string();
    spec.interactor.limits.cpu_ms = 10000;
    spec.interactor.limits.memory_kib = 1 << 20;
    spec.interactor.limits.max_processes = 64;
    return spec;
  }

  api::CaseResult Judge(const InteractiveCaseSpec& spec, bool* accepted = nullptr) {
    InteractiveCaseOutcome out = RunInteractiveCase(executor_, spec, {});
    if (accepted != nullptr) *accepted = out.interactor_accepted;
    return out.result;
  }

  static std::string Tout(const InteractiveCaseSpec& spec) {
    return ReadFilePrefix(fs::path(spec.interactor.collect_dir) / "tout", 1 << 20);
  }

  static std::unique_ptr<noj::testing::TempDir> bins_;
  static std::string build_error_;
  noj::testing::TempDir tmp_;
  int runs_ = 0;
  SandboxProcessExecutor executor_{NOJ_SANDBOX_BINARY, {}};
};

std::unique_ptr<noj::testing::TempDir> InteractiveCaseTest::bins_;
std::string InteractiveCaseTest::build_error_;

TEST_F(InteractiveCaseTest, CorrectSolutionIsAcceptedAndToutHoldsItsAnswers) {
  for (const char* c : {"0000", "0001", "0100"}) {
    InteractiveCaseSpec spec = Spec("ac", "interactor", c);
    bool accepted = false;
    api::CaseResult r = Judge(spec, &accepted);
    EXPECT_EQ(r.status, Verdict::kAC) << c << ": " << r.message;
    EXPECT_TRUE(accepted);
    EXPECT_THAT(r.message, HasSubstr("ok"));
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_TRUE(r.wall_time_ms.has_value());
    EXPECT_EQ(Tout(spec),
              ReadFilePrefix(kExample / "testdata" / (std::string(c) + ".out"), 1 << 20));
  }
}

TEST_F(InteractiveCaseTest, PythonSolutionThatFlushesIsAccepted) {
  if (std::string why = noj::testing::MissingProgram("python3", "/usr/bin"); !why.empty())
    GTEST_SKIP() << why;
  api::CaseResult r = Judge(Spec("ac.py", "interactor", "0001"));
  EXPECT_EQ(r.status, Verdict::kAC) << r.message << r.stderr_text;
}

TEST_F(InteractiveCaseTest, WrongAnswerCarriesTheInteractorsMessage) {
  api::CaseResult r = Judge(Spec("wa"));
  EXPECT_EQ(r.status, Verdict::kWA);
  EXPECT_THAT(r.message, HasSubstr("answer 2 is 43, expected 42"));
  EXPECT_FALSE(r.points.has_value());
}

// Both wait (its answer sits in its stdio buffer): the program's wall limit ends it, and the
// interactor's unexpected EOF that follows does not make it WA.
TEST_F(InteractiveCaseTest, NeverFlushingIsTimeLimitByIdlenessNotAHang) {
  api::CaseResult r = Judge(Spec("tle_idle", "interactor", "0000", 300));
  EXPECT_EQ(r.status, Verdict::kTLE) << r.message;
  EXPECT_LT(r.exec_time_ms, 300);  // idle, not busy
  ASSERT_TRUE(r.wall_time_ms.has_value());
  EXPECT_GE(*r.wall_time_ms, 1000);
}

TEST_F(InteractiveCaseTest, ExitingEarlyIsTheInteractorsWrongAnswer) {
  for (const char* c : {"0000", "0100"}) {
    api::CaseResult r = Judge(Spec("early_exit", "interactor", c));
    EXPECT_EQ(r.status, Verdict::kWA) << c << ": " << r.message;
  }
}

TEST_F(InteractiveCaseTest, CrashAfterTheInteractorAcceptedIsRuntimeError) {
  api::CaseResult r = Judge(Spec("re_after"));
  EXPECT_EQ(r.status, Verdict::kRE) << r.message;
  EXPECT_EQ(r.exit_code, 128 + SIGABRT);
}

// The interactor gives up on the missing answer first: §4 puts its WA before the program's RE.
TEST_F(InteractiveCaseTest, CrashMidDialogueIsTheInteractorsWrongAnswer) {
  // The interactor finds the answer missing, or dies of the broken pipe sending the next pair:
  // either way the program had stopped reading first.
  api::CaseResult r = Judge(Spec("crash_mid"));
  EXPECT_EQ(r.status, Verdict::kWA) << r.message;
  EXPECT_EQ(r.exit_code, 128 + SIGABRT);
}

TEST_F(InteractiveCaseTest, InteractorStatus3IsJudgeError) {
  bool accepted = true;
  api::CaseResult r = Judge(Spec("ac", "failing_interactor"), &accepted);
  EXPECT_EQ(r.status, Verdict::kJE);
  EXPECT_THAT(r.message, HasSubstr("FAIL the test data contradicts itself"));
  EXPECT_FALSE(accepted);
}

TEST_F(InteractiveCaseTest, InteractorPointsAreWrongAnswerWithPoints) {
  api::CaseResult partial = Judge(Spec("wa", "points_interactor"));
  EXPECT_EQ(partial.status, Verdict::kWA) << partial.message;
  ASSERT_TRUE(partial.points.has_value());
  EXPECT_NEAR(*partial.points, 2.0 / 3.0, 1e-6);
  EXPECT_THAT(partial.message, HasSubstr("2 of 3 right"));
  EXPECT_EQ(Judge(Spec("ac", "points_interactor")).status, Verdict::kAC);
}

// The contestant reaches the interactor through the pipes only: not its files (input, tout, its
// box dir on the host), not its processes (no pid visible, nothing to signal or ptrace; kill(-1)
// leaves it alive), no descriptor beyond stdio; and it runs under another uid.
TEST_F(InteractiveCaseTest, ContestantReachesTheInteractorOnlyThroughThePipes) {
  InteractiveCaseSpec spec = Spec("spy");
  api::CaseResult r = Judge(spec);
  EXPECT_EQ(r.status, Verdict::kAC) << r.message << "\n" << r.stderr_text;
  EXPECT_THAT(r.stderr_text,
              HasSubstr("leaks=0 uid=" + std::to_string(sandbox::BoxUid(kProgramBox))));
  EXPECT_NE(sandbox::BoxUid(kProgramBox), sandbox::BoxUid(kInteractorBox));
}

TEST_F(InteractiveCaseTest, ADaemonOfTheProgramDiesWithItsBox) {
  api::CaseResult r = Judge(Spec("daemon"));
  EXPECT_EQ(r.status, Verdict::kAC) << r.message;
  // TearDown: no process of either box uid is left.
}

TEST_F(InteractiveCaseTest, InteractorIsHeldToItsOwnLimits) {
  InteractiveCaseSpec spec = Spec("ac", "spinning_interactor");
  spec.interactor.limits.cpu_ms = 300;
  auto [program, interactor] = executor_.ExecuteInteractive(spec.program, spec.interactor, {});
  EXPECT_EQ(interactor.verdict, sandbox::Verdict::kTle) << interactor.error;
  EXPECT_GE(interactor.cpu_ms, 300);
  EXPECT_NE(program.verdict, sandbox::Verdict::kSe) << program.error;
  // Through the case: the program fails on the EOF of a dead interactor — §4 puts its RE first.
  api::CaseResult r = Judge(spec);
  EXPECT_EQ(r.status, Verdict::kRE) << r.message;
}

TEST_F(InteractiveCaseTest, StopRequestEndsBothBoxes) {
  InteractiveCaseSpec spec = Spec("tle_idle", "interactor", "0000", 10000);
  std::stop_source stop;
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto [program, interactor] =
      executor_.ExecuteInteractive(spec.program, spec.interactor, stop.get_token());
  EXPECT_EQ(program.verdict, sandbox::Verdict::kSe);
  EXPECT_EQ(program.error, "cancelled");
  EXPECT_EQ(interactor.verdict, sandbox::Verdict::kSe);
  EXPECT_EQ(interactor.error, "cancelled");
}

// noj-sandbox takes only the right end of a pipe as --stdin-fd / --stdout-fd (SE otherwise).
TEST_F(InteractiveCaseTest, SandboxTakesOnlyTheRightEndOfAPipe) {
  InteractiveCaseSpec spec = Spec("ac");
  fs::path file = tmp_.path() / "plain.txt";
  ASSERT_OK(WriteFile(file, "1\n1 2\n"));
  OwnedFd regular(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_GE(regular.get(), 3);
  ASSERT_OK_AND_ASSIGN(Pipe pipe, MakePipe());
  struct Row {
    int in_fd, out_fd;
    const char* error;
  } rows[] = {{regular.get(), -1, "--stdin-fd"},
              {pipe.write.get(), -1, "is not the read end of a pipe"},
              {-1, pipe.read.get(), "is not the write end of a pipe"}};
  for (const Row& row : rows) {
    sandbox::RunRequest r = spec.program;
    r.stdin_fd = row.in_fd;
    r.stdout_fd = row.out_fd;
    std::vector<std::string> argv = sandbox::BuildCommandLine(r);
    argv.insert(argv.begin(), NOJ_SANDBOX_BINARY);
    ChildOptions o{.stderr_path = tmp_.path() / "refused.log"};
    if (row.in_fd >= 0) o.pass_fds.push_back(row.in_fd);
    if (row.out_fd >= 0) o.pass_fds.push_back(row.out_fd);
    ASSERT_OK_AND_ASSIGN(ChildResult child, RunChild(argv, o, {}));
    ASSERT_OK_AND_ASSIGN(sandbox::RunResult res, sandbox::ParseResultLine(child.stdout_text));
    EXPECT_EQ(res.verdict, sandbox::Verdict::kSe);
    EXPECT_THAT(res.error, HasSubstr(row.error));
  }
}

TEST_F(InteractiveCaseTest, OneBoxIdForBothIsRefused) {
  InteractiveCaseSpec spec = Spec("ac");
  spec.interactor.box_id = spec.program.box_id;
  api::CaseResult r = Judge(spec);
  EXPECT_EQ(r.status, Verdict::kJE);
  EXPECT_THAT(r.message, HasSubstr("one box id"));
}

}  // namespace
}  // namespace noj::runner
