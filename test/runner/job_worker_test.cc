#include "runner/job_worker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/zip_archive.h"
#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/server_testdata_source.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using ::testing::ElementsAre;
using testing::FakeExecutor;
using testing::FakeHttpClient;
using testing::FakeSleeper;
using ::testing::HasSubstr;
using testing::Reply;

bool Has(const client::HttpRequest& r, const std::string& part) {
  return r.url.find(part) != std::string::npos;
}

struct WorkerFixture : ::testing::Test {
  noj::testing::TempDir tmp;
  FakeHttpClient http;
  FakeSleeper sleeper;
  RunnerApi api{http, "http://j", "rn_1", "rk_1"};
  ServerTestdataSource source{api};
  TestdataCache cache{tmp.path() / "cache", source};
  LanguageTable languages = LanguageTable::BuiltIn();
  JobTracker tracker{2};
  BoxIdPool boxes{10, 2};
  FakeExecutor exec{[this](const sandbox::RunRequest& r) { return OnRun(r); }};
  JudgePipeline pipeline{exec, languages, JudgeLimits{}};
  JobPreparer preparer{api, cache, languages, sleeper};
  JobWorker worker{
      JobWorkerDeps{api, tracker, preparer, pipeline, boxes, sleeper, tmp.path() / "work"}};

  // Knobs per test.
  std::string code_zip = zip::Build({{"main.cpp", "int main(){}"}}).value_or("");
  int code_status = 200;
  int complete_status = 204;
  int meta_status = 404;  // no meta endpoint: a plain problem
  std::string meta_body;
  std::string program_output = "3\n";
  std::string checksum = "c0ffee";
  std::function<void()> on_run;
  std::vector<std::string> aborts;       // reasons
  std::vector<size_t> tracked_at_abort;  // tracker.size() when the abort was sent
  std::vector<std::string> complete_bodies;

  api::JobPayload Job() {
    api::JobPayload j;
    j.job_id = "jb_1";
    j.submission_id = "sn_1";
    j.problem_id = 3;
    j.language = api::Language::kCpp;
    j.attempt = 2;
    j.code_url = "http://j/code/sn_1?sig=abc";
    j.tasks = {{.score = 100, .case_count = 1, .memory_limit_kib = 65536, .time_limit_ms = 1000}};
    return j;
  }

  void SetUp() override {
    std::string testdata = zip::Build({{"0000.in", "1 2\n"}, {"0000.out", "3\n"}}).value_or("");
    http.SetHandler([this, testdata](const client::HttpRequest& r) -> Result<client::HttpResponse> {
      if (Has(r, "/code/")) return Reply(code_status, code_zip);
      if (Has(r, "/checksum")) return Reply(200, R"({"data":")" + checksum + R"("})");
      if (Has(r, "/testdata")) return Reply(200, testdata);
      if (Has(r, "/meta")) return Reply(meta_status, meta_body);
      if (Has(r, "/complete")) {
        complete_bodies.push_back(r.body);
        return Reply(complete_status);
      }
      if (Has(r, "/abort")) {
        aborts.push_back(r.body);
        tracked_at_abort.push_back(tracker.size());
        return Reply(202);
      }
      return Reply(500);
    });
  }

  sandbox::RunResult OnRun(const sandbox::RunRequest& r) {
    if (on_run) on_run();
    if (r.argv[0] != "g++") {
      EXPECT_TRUE(WriteFile(r.stdout_path, program_output).ok());
    }
    return testing::Ok();
  }

  void RunJob() {
    api::JobPayload job = Job();
    auto control = tracker.Track(job.job_id, job.attempt);
    ASSERT_NE(control, nullptr);
    worker.Run(job, control, {});
  }
};

TEST_F(WorkerFixture, JudgesAndSendsTheResult) {
  RunJob();
  ASSERT_EQ(complete_bodies.size(), 1u);
  EXPECT_THAT(complete_bodies[0], HasSubstr(R"("status":"AC")"));
  EXPECT_TRUE(aborts.empty());
  EXPECT_EQ(tracker.size(), 0u);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "work" / "jb_1"));
  auto reqs = http.requests();
  for (const auto& r : reqs) {
    if (Has(r, "/complete")) {
      EXPECT_THAT(r.headers,
                  ::testing::Contains(std::pair<std::string, std::string>("X-Job-Attempt", "2")));
    }
  }
  EXPECT_EQ(exec.requests().at(0).box_id, 10);
}

TEST_F(WorkerFixture, TheProblemsMetaDecidesHowTheOutputIsJudged) {
  program_output = "3 \n";  // right by Normal-OJ's rule, wrong byte for byte
  RunJob();
  ASSERT_EQ(complete_bodies.size(), 1u);
  EXPECT_THAT(complete_bodies[0], HasSubstr(R"("status":"AC")"));
  // The same program on a problem whose meta asks for the exact checker (a new version).
  meta_status = 200;
  meta_body = R"({"data":{"tasks":[],"checker":{"type":"exact"}}})";
  checksum = "c0ffee2";  // the checksum covers the meta: a new version
  RunJob();
  ASSERT_EQ(complete_bodies.size(), 2u);
  EXPECT_THAT(complete_bodies[1], HasSubstr(R"("status":"WA")"));
  EXPECT_TRUE(aborts.empty());
}

TEST_F(WorkerFixture, AMetaThatCannotBeFetchedIsRetriedNotGuessed) {
  meta_status = 503;
  RunJob();
  EXPECT_EQ(http.Count("/meta"), 3);
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"prep_failed"})"));
  EXPECT_TRUE(complete_bodies.empty());
}

TEST_F(WorkerFixture, PrepFailureRetriesThriceThenAbortsPrepFailed) {
  code_status = 503;
  RunJob();
  EXPECT_EQ(http.Count("/code/"), 3);
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(1000, 2000));
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"prep_failed"})"));
  EXPECT_THAT(tracked_at_abort, ElementsAre(0u));  // untracked before the abort
  EXPECT_TRUE(exec.requests().empty());
}

TEST_F(WorkerFixture, MalformedCodeZipAbortsWithoutRetrying) {
  code_zip = zip::Build({{"main.py", "print(1)"}}).value_or("");
  RunJob();
  EXPECT_EQ(http.Count("/code/"), 1);
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"prep_failed"})"));
}

TEST_F(WorkerFixture, RejectedResultIsAbortedAfterUntracking) {
  complete_status = 400;
  RunJob();
  EXPECT_EQ(complete_bodies.size(), 1u);
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"rejected"})"));
  EXPECT_THAT(tracked_at_abort, ElementsAre(0u));
}

TEST_F(WorkerFixture, LostLeaseDropsTheResult) {
  complete_status = 409;
  RunJob();
  EXPECT_EQ(complete_bodies.size(), 1u);
  EXPECT_TRUE(aborts.empty());
  EXPECT_EQ(tracker.size(), 0u);
}

TEST_F(WorkerFixture, DrainBeforeJudgingGivesTheJobBack) {
  api::JobPayload job = Job();
  auto control = tracker.Track(job.job_id, job.attempt);
  tracker.BeginDrain();
  worker.Run(job, control, {});
  EXPECT_TRUE(exec.requests().empty());
  EXPECT_TRUE(complete_bodies.empty());
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"drain"})"));
  EXPECT_THAT(tracked_at_abort, ElementsAre(0u));
}

TEST_F(WorkerFixture, ServerCancelDropsEverythingSilently) {
  api::JobPayload job = Job();
  auto control = tracker.Track(job.job_id, job.attempt);
  on_run = [&] { tracker.Cancel({"jb_1"}, StopReason::kServerCancel); };
  worker.Run(job, control, {});
  EXPECT_TRUE(complete_bodies.empty());
  EXPECT_TRUE(aborts.empty());
  EXPECT_EQ(tracker.size(), 0u);
}

TEST_F(WorkerFixture, ShutdownWhileJudgingGivesTheJobBack) {
  api::JobPayload job = Job();
  auto control = tracker.Track(job.job_id, job.attempt);
  on_run = [&] { tracker.CancelAll(StopReason::kShutdown); };
  worker.Run(job, control, {});
  EXPECT_TRUE(complete_bodies.empty());
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"drain"})"));
}

// judging.md §5: the server routes by the declared codes; a job for any other code (a server
// bug, or a table changed under it) is given back unjudged, never run with another entry.
TEST_F(WorkerFixture, AJobForALanguageNotInTheTableIsRejected) {
  api::JobPayload job = Job();
  job.language = static_cast<api::Language>(5);
  auto control = tracker.Track(job.job_id, job.attempt);
  ASSERT_NE(control, nullptr);
  worker.Run(job, control, {});
  EXPECT_THAT(aborts, ElementsAre(R"({"reason":"rejected"})"));
  EXPECT_EQ(http.Count("/code/"), 0);  // nothing fetched
  EXPECT_TRUE(exec.requests().empty());
  EXPECT_TRUE(complete_bodies.empty());
  EXPECT_EQ(tracker.size(), 0u);
}

// A code >= 4 comes as a zip holding `main`; it is judged as the table's source name.
TEST_F(WorkerFixture, ALanguagesFileEntryGetsTheFileMainAsItsSource) {
  ASSERT_OK(languages.Add({.code = 4,
                           .key = "cpp20",
                           .source = "main.cpp",
                           .compile = {"g++", "-std=c++20", "-o", "main", "main.cpp"},
                           .run = {"./main"}}));
  code_zip = zip::Build({{"main", "int main(){}"}}).value_or("");
  api::JobPayload job = Job();
  job.language = static_cast<api::Language>(4);
  auto control = tracker.Track(job.job_id, job.attempt);
  ASSERT_NE(control, nullptr);
  worker.Run(job, control, {});
  ASSERT_EQ(complete_bodies.size(), 1u);
  EXPECT_THAT(complete_bodies[0], HasSubstr(R"("status":"AC")"));
  EXPECT_THAT(exec.requests().at(0).argv,
              ElementsAre("g++", "-std=c++20", "-o", "main", "main.cpp"));
  // A zip named for a built-in is not a code >= 4's.
  code_zip = zip::Build({{"main.cpp", "int main(){}"}}).value_or("");
  RunJob();  // language 1 (C++): still main.cpp
  EXPECT_EQ(complete_bodies.size(), 2u);
}

}  // namespace
}  // namespace noj::runner
