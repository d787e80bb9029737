#include "store/sqlite/group_commit.h"

#include <exception>
#include <mutex>

namespace noj::store::sqlite {

namespace {

// Waits on `cv` until `done()`, with `mu` held by the caller (a MutexLock) before and after.
template <typename Pred>
void WaitHeld(std::condition_variable& cv, Mutex& mu, Pred done) REQUIRES(mu) {
  std::unique_lock<std::mutex> native(mu.native(), std::adopt_lock);
  cv.wait(native, done);
  native.release();  // still locked: the caller's MutexLock unlocks it
}

Status RunStatement(Db& db, const char* sql) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql));
  return stmt.Run();
}

Status DroppedTransaction() {
  return UnavailableError("sqlite: the transaction was rolled back by SQLite; not applied");
}

}  // namespace

GroupCommit::GroupCommit(std::unique_ptr<Db> db, GroupCommitOptions options)
    : options_(std::move(options)), db_(std::move(db)) {
  MutexLock lock(&db_mu_);
  batch_.reserve(options_.max_batch < 1 ? 1 : options_.max_batch);
  if (options_.fail_commit) sqlite3_commit_hook(db_->raw(), &GroupCommit::CommitHook, this);
}

GroupCommit::~GroupCommit() {
  MutexLock lock(&db_mu_);
  sqlite3_commit_hook(db_->raw(), nullptr, nullptr);
}

int GroupCommit::CommitHook(void* self) {
  // Non-zero turns the COMMIT into a ROLLBACK (and the COMMIT fails).
  return static_cast<GroupCommit*>(self)->options_.fail_commit() ? 1 : 0;
}

Status GroupCommit::Commit(TransitionRef transition) {
  Writer w(transition);
  {
    MutexLock lock(&mu_);
    writers_.push_back(&w);  // the only call that may throw; nothing is queued if it does
    // A test holding the leader for more writers wants to hear of each arrival.
    if (options_.hold_leader && writers_.front() != &w) writers_.front()->cv.notify_one();
    WaitForTurn(w);
    if (w.done) return std::move(w.status);  // a leader ran it
  }
  // The head of the queue: lead a batch (w itself and whoever queued behind it).
  size_t size = 0;
  {
    MutexLock db_lock(&db_mu_);
    {
      MutexLock lock(&mu_);
      TakeBatch(w);
    }
    RunBatch();
    size = batch_.size();
  }
  MutexLock lock(&mu_);
  for (size_t i = 0; i < size; ++i) {
    Writer* member = writers_.front();
    writers_.pop_front();
    if (member == &w) continue;
    member->done = true;
    member->cv.notify_one();  // under mu_: its owner cannot destroy it before we are done
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();  // the next leader
  return std::move(w.status);
}

void GroupCommit::WaitForTurn(Writer& w) {
  WaitHeld(w.cv, mu_, [&] {
    mu_.AssertHeld();
    return w.done || writers_.front() == &w;
  });
}

void GroupCommit::TakeBatch(Writer& leader) {
  if (options_.hold_leader) {
    WaitHeld(leader.cv, mu_, [&] {
      mu_.AssertHeld();
      return !options_.hold_leader(writers_.size());
    });
  }
  batch_.clear();
  for (Writer* w : writers_) {
    if (batch_.size() == batch_.capacity()) break;  // reserved max_batch: no allocation
    batch_.push_back(w);
  }
}

void GroupCommit::RunBatch() {
  try {
    size_t next = 0;
    while (next < batch_.size()) next = RunTransaction(next);
  } catch (...) {  // bad_alloc in a message or the statement cache: nothing of it is trusted
    try {
      db_->Rollback();
    } catch (...) {  // best effort: the next BEGIN fails if the transaction is still open
    }
    for (Writer* w : batch_) w->status = Status(ErrorCode::kInternal, std::string());
  }
}

size_t GroupCommit::RunTransaction(size_t from) {
  if (Status begun = db_->Begin(TxKind::kImmediate); !begun.ok()) {
    FailBatch(from, begun);  // another process holds the lock past busy_timeout, or I/O
    return batch_.size();
  }
  size_t next = from;
  bool keep = false;  // some member's writes are to be committed
  while (next < batch_.size()) {
    Writer& w = *batch_[next++];
    w.status = RunInSavepoint(w);
    transitions_.fetch_add(1, std::memory_order_relaxed);
    if (options_.after_transition) options_.after_transition(db_->raw());
    if (!InTransaction()) {
      // SQLite rolled the whole transaction back: the members that ran in it are not applied;
      // the rest of the batch goes on in a new transaction.
      for (size_t i = from; i < next; ++i)
        if (batch_[i]->status.ok()) batch_[i]->status = DroppedTransaction();
      return next;
    }
    keep = keep || w.status.ok();
  }
  if (!keep) {  // every member failed alone: nothing to make durable, no fsync
    db_->Rollback();
    return next;
  }
  Status committed = db_->Commit();
  if (committed.ok()) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    return next;
  }
  db_->Rollback();
  // Not applied: a retry is safe whatever SQLite's reason was.
  Status failed = UnavailableError("sqlite: commit failed: " + committed.message());
  for (size_t i = from; i < next; ++i)
    if (batch_[i]->status.ok()) batch_[i]->status = failed;
  return next;
}

Status GroupCommit::RunInSavepoint(Writer& w) {
  NOJ_RETURN_IF_ERROR(RunStatement(*db_, "SAVEPOINT noj_transition"));
  Status result = w.transition(*db_);
  if (!InTransaction()) return result;  // dropped by SQLite: the caller fails the members
  if (result.ok()) {
    if (Status released = RunStatement(*db_, "RELEASE noj_transition"); !released.ok()) {
      db_->Rollback();  // cannot tell what stays: drop the transaction (caller fails the rest)
      return released;
    }
    return result;
  }
  Status undone = RunStatement(*db_, "ROLLBACK TO noj_transition");
  if (undone.ok()) undone = RunStatement(*db_, "RELEASE noj_transition");
  if (!undone.ok()) db_->Rollback();  // its writes may still be in there: drop them all
  return result;
}

void GroupCommit::FailBatch(size_t from, const Status& error) {
  for (size_t i = from; i < batch_.size(); ++i) batch_[i]->status = error;
}

}  // namespace noj::store::sqlite
