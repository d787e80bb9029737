// Routing by language end to end (judging.md §5, issue 14): a Java submission waits while only a
// runner of the built-in languages is alive, and is judged once a runner whose languages file
// declares Java registers. Real nojd, noj-runner and noj-sandbox; skips without root or Java.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "runner/runner_e2e_fixture.h"
#include "runner/runner_process.h"

namespace noj::runner {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

// Reads "t c" and prints t + c, the answers of NojdTest::TestdataZip.
constexpr char kJavaSum[] =
    "import java.util.Scanner;\n"
    "public class Main {\n"
    "  public static void main(String[] args) {\n"
    "    Scanner in = new Scanner(System.in);\n"
    "    System.out.println(in.nextInt() + in.nextInt());\n"
    "  }\n"
    "}\n";
constexpr int kJava = 5;  // config/languages.toml

TEST_F(RunnerE2E, AJavaJobWaitsForARunnerThatDeclaresJava) {
  if (access("/usr/bin/javac", X_OK) != 0 || access("/usr/bin/java", X_OK) != 0)
    GTEST_SKIP() << "OpenJDK is not installed (apt-get install openjdk-17-jdk-headless)";
  int64_t pid = CreateProblemWithTestdata({{100, 2}});
  std::string java = Submit(pid, kJava, kJavaSum);
  std::string cpp = Submit(pid, 1,
                           "#include <cstdio>\nint main(){int a,b;std::scanf(\"%d %d\",&a,&b);"
                           "std::printf(\"%d\\n\",a+b);}\n");

  auto builtin = StartRunner("builtin");  // no languages file: C, C++, Python 3
  // WaitFinal long-polls at most 30 s a call; a JVM compile on a loaded host may take longer.
  auto wait_long = [&](const std::string& sid) {
    bj::object s = WaitFinal(sid, 30);
    for (int i = 0; i < 3 && Int(s, "status") == -1; ++i) s = WaitFinal(sid, 30);
    return s;
  };
  bj::object judged = wait_long(cpp);
  EXPECT_EQ(Int(judged, "status"), 0) << bj::serialize(judged) << builtin->Log();
  // The C++ runner has polled since; the Java job is still waiting, never JE for that.
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(Int(Submission(java), "status"), -1);
  EXPECT_EQ(JobState(java), "pending");
  auto queue = Api("GET", "/queue");
  EXPECT_NE(queue.body.find("Java"), std::string::npos) << queue.body;

  auto with_java = StartRunner(
      "java", {"--languages", std::string(NOJ_SOURCE_DIR) + "/config/languages.toml"}, 4920);
  bj::object done = wait_long(java);
  EXPECT_EQ(Int(done, "status"), 0) << bj::serialize(done) << with_java->Log();
  EXPECT_EQ(Int(done, "score"), 100);
  EXPECT_NE(with_java->Log().find(java), std::string::npos);
  EXPECT_EQ(builtin->Log().find(java), std::string::npos);  // never handed to the other runner
}

}  // namespace
}  // namespace noj::runner
