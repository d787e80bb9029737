// Group commit on the SQLite store (group_commit.h): writers that arrive together share one
// transaction and one fsync, yet each lands or fails on its own, and each is answered only with
// what a reopen of the file shows. The batches are made deterministic by the test hooks of
// SqliteOptions (the first leader is held until N writers are queued), not by timing.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "store/sqlite/sqlite_store.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::store::sqlite {
namespace {

using noj::testing::StatusIs;

constexpr int64_t kNow = 1'700'000'000'000;

class SqliteGroupCommit : public ::testing::Test {
 protected:
  // A file store with sync=full (the default) and hooks that act only once armed.
  SqliteOptions Options() {
    SqliteOptions o;
    o.test_hooks.hold_leader = [this](size_t queued) {
      size_t want = hold_for_.load();
      if (want == 0) return false;
      if (queued < want) return true;
      hold_for_.store(0);  // released: later leaders take what they find
      return false;
    };
    o.test_hooks.after_transition = [this](sqlite3* db) {
      if (drop_after_.load() > 0 && --drop_after_ == 0) {  // as SQLite does on IOERR/FULL/NOMEM
        EXPECT_EQ(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
      }
    };
    o.test_hooks.fail_commit = [this] { return fail_commit_.exchange(false); };
    return o;
  }

  void Open(const SqliteOptions& options) {
    store_.reset();
    auto opened = OpenSqliteStore(path_, options);
    ASSERT_OK(opened.status());
    store_ = std::move(opened).value();
  }

  void SetUpStore(const SqliteOptions& options) {
    ASSERT_NO_FATAL_FAILURE(Open(options));
    auto problem = store_->CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, kNow);
    ASSERT_OK(problem.status());
    problem_id_ = *problem;
    taken_ = Fresh();
    ASSERT_OK(store_->Enqueue(taken_, kNow));
  }

  NewSubmission Fresh() {
    NewSubmission s;
    s.submission_id = ids::NewSubmissionId(kNow + ++seq_);
    s.job_id = ids::NewJobId(kNow + seq_);
    s.problem_id = problem_id_;
    s.language = 1;
    s.code = "int main() { return " + std::to_string(seq_) + "; }\n";
    s.requirements = {s.language, 0};
    return s;
  }

  // A new submission whose job id is taken: EnqueueTx writes the submission and its code, then
  // fails on the job (kAlreadyExists) — only its savepoint's rollback can remove the first two.
  NewSubmission FailingAfterWrites() {
    NewSubmission s = Fresh();
    s.job_id = taken_.job_id;
    return s;
  }

  // Every Enqueue on its own thread, released together; the first leader waits for all of them.
  std::vector<Status> EnqueueTogether(const std::vector<NewSubmission>& subs) {
    hold_for_.store(subs.size());
    std::vector<Status> out(subs.size());
    std::latch go(static_cast<std::ptrdiff_t>(subs.size()));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < subs.size(); ++i)
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        out[i] = store_->Enqueue(subs[i], kNow);
      });
    for (auto& t : threads) t.join();
    return out;
  }

  // What the store holds of `s`: OK if the submission, its code and its job are all there,
  // kNotFound if none is; anything else is a torn write.
  Status Stored(const NewSubmission& s) {
    const bool sub = store_->GetSubmission(s.submission_id).ok();
    const bool code = store_->GetSubmissionCode(s.submission_id).ok();
    const bool job = store_->GetJob(s.job_id).ok();
    if (sub && code && job) return Status::Ok();
    if (!sub && !code) return NotFoundError(s.submission_id);
    return InternalError("torn: " + s.submission_id);
  }

  noj::testing::TempDir dir_;
  const std::string path_ = dir_.File("nojd.sqlite3");
  std::unique_ptr<Store> store_;
  int64_t problem_id_ = 0;
  int64_t seq_ = 0;
  NewSubmission taken_;
  std::atomic<size_t> hold_for_{0};
  std::atomic<int> drop_after_{0};
  std::atomic<bool> fail_commit_{false};
};

TEST_F(SqliteGroupCommit, SixtyFourConcurrentTransitionsLandOrFailIndividually) {
  ASSERT_NO_FATAL_FAILURE(SetUpStore(Options()));
  std::vector<NewSubmission> subs;
  for (int i = 0; i < 64; ++i) subs.push_back(i == 17 ? FailingAfterWrites() : Fresh());
  const StoreCounters before = store_->Counters();

  std::vector<Status> answers = EnqueueTogether(subs);

  const StoreCounters after = store_->Counters();
  EXPECT_EQ(after.transitions - before.transitions, 64);
  EXPECT_EQ(after.commits - before.commits, 1);  // one batch, one COMMIT, one fsync
  for (size_t i = 0; i < subs.size(); ++i) {
    if (i == 17)
      EXPECT_THAT(answers[i], StatusIs(ErrorCode::kAlreadyExists));
    else
      EXPECT_OK(answers[i]) << i;
  }
  // The failed one left nothing (not even the rows it wrote before failing); its neighbours and
  // the job it collided with are untouched — now and after a reopen of the file.
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "live" : "reopened");
    for (size_t i = 0; i < subs.size(); ++i) {
      if (i == 17)
        EXPECT_THAT(Stored(subs[i]), StatusIs(ErrorCode::kNotFound));
      else
        EXPECT_OK(Stored(subs[i])) << i;
    }
    EXPECT_OK(Stored(taken_));
    if (pass == 0) {
      ASSERT_NO_FATAL_FAILURE(Open(SqliteOptions{}));
    }
  }
}

TEST_F(SqliteGroupCommit, FailedCommitFailsEveryMemberThatHadSucceeded) {
  ASSERT_NO_FATAL_FAILURE(SetUpStore(Options()));
  std::vector<NewSubmission> subs;
  for (int i = 0; i < 8; ++i) subs.push_back(i == 3 ? FailingAfterWrites() : Fresh());
  fail_commit_.store(true);

  std::vector<Status> answers = EnqueueTogether(subs);

  EXPECT_FALSE(fail_commit_.load()) << "the COMMIT hook never ran";
  for (size_t i = 0; i < subs.size(); ++i) {
    if (i == 3)  // it failed on its own first: it keeps its own reason
      EXPECT_THAT(answers[i], StatusIs(ErrorCode::kAlreadyExists));
    else
      EXPECT_THAT(answers[i], StatusIs(ErrorCode::kUnavailable)) << i;
  }
  // The connection is usable again at once.
  NewSubmission later = Fresh();
  EXPECT_OK(store_->Enqueue(later, kNow));
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "live" : "reopened");
    for (const NewSubmission& s : subs) EXPECT_THAT(Stored(s), StatusIs(ErrorCode::kNotFound));
    EXPECT_OK(Stored(later));
    EXPECT_OK(Stored(taken_));
    if (pass == 0) {
      ASSERT_NO_FATAL_FAILURE(Open(SqliteOptions{}));
    }
  }
}

// SQLite rolls a whole transaction back on some errors (IOERR, FULL, NOMEM): the members that had
// run in it are failed, the rest of the batch runs in a new transaction.
TEST_F(SqliteGroupCommit, TransactionDroppedMidBatchFailsOnlyTheMembersThatHadRun) {
  ASSERT_NO_FATAL_FAILURE(SetUpStore(Options()));
  std::vector<NewSubmission> subs;
  for (int i = 0; i < 8; ++i) subs.push_back(Fresh());
  drop_after_.store(3);
  const StoreCounters before = store_->Counters();

  std::vector<Status> answers = EnqueueTogether(subs);

  const StoreCounters after = store_->Counters();
  EXPECT_EQ(after.transitions - before.transitions, 8);
  EXPECT_EQ(after.commits - before.commits, 1);  // only the second transaction committed
  int ok = 0, unavailable = 0;
  for (const Status& s : answers) {
    ok += s.ok();
    unavailable += s.code() == ErrorCode::kUnavailable;
  }
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(unavailable, 3);
  // Exactly what was answered OK is stored, now and after a reopen.
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "live" : "reopened");
    for (size_t i = 0; i < subs.size(); ++i) {
      if (answers[i].ok())
        EXPECT_OK(Stored(subs[i])) << i;
      else
        EXPECT_THAT(Stored(subs[i]), StatusIs(ErrorCode::kNotFound)) << i;
    }
    if (pass == 0) {
      ASSERT_NO_FATAL_FAILURE(Open(SqliteOptions{}));
    }
  }
}

TEST_F(SqliteGroupCommit, MaxBatchOfOneCommitsEachTransitionAlone) {
  SqliteOptions options = Options();
  options.max_batch = 1;
  ASSERT_NO_FATAL_FAILURE(SetUpStore(options));
  std::vector<NewSubmission> subs;
  for (int i = 0; i < 8; ++i) subs.push_back(Fresh());
  const StoreCounters before = store_->Counters();

  std::vector<Status> answers = EnqueueTogether(subs);

  const StoreCounters after = store_->Counters();
  EXPECT_EQ(after.transitions - before.transitions, 8);
  EXPECT_EQ(after.commits - before.commits, 8);
  for (size_t i = 0; i < subs.size(); ++i) {
    EXPECT_OK(answers[i]) << i;
    EXPECT_OK(Stored(subs[i])) << i;
  }
}

// A batch whose every member failed on its own commits nothing (no fsync) and stores nothing.
TEST_F(SqliteGroupCommit, BatchOfFailuresCommitsNothing) {
  ASSERT_NO_FATAL_FAILURE(SetUpStore(Options()));
  std::vector<NewSubmission> subs;
  for (int i = 0; i < 4; ++i) subs.push_back(FailingAfterWrites());
  const StoreCounters before = store_->Counters();

  std::vector<Status> answers = EnqueueTogether(subs);

  EXPECT_EQ(store_->Counters().commits - before.commits, 0);
  for (size_t i = 0; i < subs.size(); ++i) {
    EXPECT_THAT(answers[i], StatusIs(ErrorCode::kAlreadyExists)) << i;
    EXPECT_THAT(Stored(subs[i]), StatusIs(ErrorCode::kNotFound)) << i;
  }
  EXPECT_OK(Stored(taken_));
}

}  // namespace
}  // namespace noj::store::sqlite
