#include "runner/child_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

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

}  // namespace
}  // namespace noj::runner
