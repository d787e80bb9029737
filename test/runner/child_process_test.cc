#include "runner/child_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <thread>

#include "runner/fs_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

TEST(RunChild, CapturesStdoutAndExitStatus) {
  ASSERT_OK_AND_ASSIGN(ChildResult r, RunChild({"/bin/sh", "-c", "echo hello; exit 3"}, {}, {}));
  EXPECT_EQ(r.stdout_text, "hello\n");
  ASSERT_TRUE(WIFEXITED(r.wait_status));
  EXPECT_EQ(WEXITSTATUS(r.wait_status), 3);
  EXPECT_EQ(DescribeWaitStatus(r.wait_status), "exited 3");
}

TEST(RunChild, StderrGoesToTheFileAndStdinIsEmpty) {
  noj::testing::TempDir tmp;
  ChildOptions o{.stderr_path = tmp.path() / "err"};
  ASSERT_OK_AND_ASSIGN(ChildResult r, RunChild({"/bin/sh", "-c", "cat; echo oops >&2"}, o, {}));
  EXPECT_EQ(r.stdout_text, "");
  EXPECT_EQ(ReadFilePrefix(tmp.path() / "err", 100), "oops\n");
}

TEST(RunChild, StdoutIsCapped) {
  ChildOptions o{.max_stdout_bytes = 10};
  ASSERT_OK_AND_ASSIGN(ChildResult r, RunChild({"/bin/sh", "-c", "yes | head -c 100000"}, o, {}));
  EXPECT_EQ(r.stdout_text, "y\ny\ny\ny\ny\n");
}

TEST(RunChild, StopTerminatesTheChild) {
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  ASSERT_OK_AND_ASSIGN(ChildResult r, RunChild({"/bin/sleep", "30"}, {}, stop.get_token()));
  stopper.join();
  EXPECT_TRUE(r.stopped);
  ASSERT_TRUE(WIFSIGNALED(r.wait_status));
  EXPECT_EQ(WTERMSIG(r.wait_status), SIGTERM);
}

TEST(RunChild, ChildIgnoringTermIsKilledAfterTheGrace) {
  ChildOptions o{.backstop = std::chrono::milliseconds(100),
                 .kill_grace = std::chrono::milliseconds(100)};
  ASSERT_OK_AND_ASSIGN(ChildResult r, RunChild({"/bin/sh", "-c", "trap '' TERM; sleep 30"}, o, {}));
  EXPECT_TRUE(r.timed_out);
  ASSERT_TRUE(WIFSIGNALED(r.wait_status));
  EXPECT_EQ(WTERMSIG(r.wait_status), SIGKILL);
}

TEST(RunChild, MissingProgramFails) {
  auto r = RunChild({"/nonexistent/prog"}, {}, {});
  EXPECT_FALSE(r.ok());
}

// Interactive runs hand each helper its pipe ends; no other descriptor of ours may follow, or a
// reader would never see EOF.
TEST(ChildProcess, PassesTheNamedDescriptorsAndNoOther) {
  ASSERT_OK_AND_ASSIGN(Pipe passed, MakePipe());
  ASSERT_OK_AND_ASSIGN(Pipe kept, MakePipe());
  EXPECT_GE(passed.read.get(), 3);
  EXPECT_GE(passed.write.get(), 3);
  std::string script = "echo through >&" + std::to_string(passed.write.get()) +
                       "; ls /proc/self/fd/" + std::to_string(kept.write.get()) +
                       " >/dev/null 2>&1 && echo leaked || echo closed";
  ChildOptions o{.pass_fds = {passed.write.get()}};
  ASSERT_OK_AND_ASSIGN(ChildProcess child, ChildProcess::Start({"/bin/sh", "-c", script}, o));
  passed.write.Reset();  // the child holds its own copy now
  ChildResult r = child.Wait({});
  EXPECT_EQ(r.stdout_text, "closed\n");
  EXPECT_EQ(r.wait_status, 0);
  char buf[64] = {};
  ssize_t n = ::read(passed.read.get(), buf, sizeof buf - 1);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "through\n");
  EXPECT_EQ(::read(passed.read.get(), buf, sizeof buf), 0);  // EOF: no copy left anywhere
}

TEST(ChildProcess, RefusesToPassStdio) {
  EXPECT_THAT(ChildProcess::Start({"/bin/true"}, {.pass_fds = {1}}).status(),
              noj::testing::StatusIs(ErrorCode::kInvalidArgument));
}

// An error path that never waits must leave no child behind.
TEST(ChildProcess, DroppedWithoutWaitIsEndedAndReaped) {
  pid_t pid = -1;
  {
    ASSERT_OK_AND_ASSIGN(
        ChildProcess child,
        ChildProcess::Start({"/bin/sleep", "30"}, {.kill_grace = std::chrono::milliseconds(100)}));
    pid = child.pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_EQ(::kill(pid, 0), -1);  // ended and reaped: not even a zombie
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace noj::runner
