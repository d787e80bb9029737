#pragma once
// Group commit (after LevelDB's writer queue): transitions that arrive while a batch is being
// written wait in a queue; the writer at its head becomes the leader, takes up to `max_batch` of
// them and runs them in ONE `BEGIN IMMEDIATE … COMMIT` — one fsync for the lot — each inside its
// own SAVEPOINT, so a transition whose body fails is rolled back alone. Every writer is answered
// only after the COMMIT that made its transition durable has returned.
//
// Failure rules (what a writer's Commit() returns when its own body succeeded):
//   BEGIN fails (another process holds the lock past busy_timeout) -> that error, for the rest
//   of the batch; COMMIT fails -> kUnavailable; SQLite rolled the whole transaction back mid-batch
//   (IOERR, FULL, NOMEM…, seen as autocommit again) -> kUnavailable for the members that had run,
//   the others continue in a new transaction.
//
// Reads run on the same connection between batches (WithDb), in their own deferred transaction.
//
// Thread safety: safe from many threads. Lock order: db_mu_ before mu_ (the leader holds the
// connection while it takes its batch from the queue); waiting writers hold neither.

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "store/sqlite/db.h"

namespace noj::store::sqlite {

struct GroupCommitOptions {
  size_t max_batch = 128;  // at least 1
  // Tests only (empty in production); see SqliteOptions::TestHooks.
  std::function<bool(size_t queued)> hold_leader;
  std::function<void(sqlite3*)> after_transition;
  std::function<bool()> fail_commit;
};

// A borrowed callable `Status(Db&)` (no allocation, no ownership): the body of one transition.
class TransitionRef {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cv_t<F>, TransitionRef>)  // copies stay copies
      explicit TransitionRef(F& f)
      : ctx_(&f), call_([](void* ctx, Db& db) { return (*static_cast<F*>(ctx))(db); }) {}
  Status operator()(Db& db) const { return call_(ctx_, db); }

 private:
  void* ctx_;
  Status (*call_)(void*, Db&);
};

class GroupCommit {
 public:
  GroupCommit(std::unique_ptr<Db> db, GroupCommitOptions options);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `transition` in the next batch and returns once the batch is over: OK when its writes
  // were committed; its own error when it failed (its writes rolled back to its savepoint);
  // the batch's error when BEGIN or COMMIT failed or SQLite dropped the transaction.
  // An exception out of `transition` (the caller should convert its own) fails its whole batch
  // with kInternal. Commit itself may throw std::bad_alloc only before the writer is queued.
  Status Commit(TransitionRef transition) EXCLUDES(mu_, db_mu_);

  // Runs `fn(Db&)` with the connection held, between batches.
  template <typename F>
  decltype(auto) WithDb(F&& fn) EXCLUDES(db_mu_) {
    MutexLock lock(&db_mu_);
    return fn(*db_);
  }

  int64_t transitions() const { return transitions_.load(std::memory_order_relaxed); }
  int64_t commits() const { return commits_.load(std::memory_order_relaxed); }

 private:
  struct Writer {
    explicit Writer(TransitionRef t) : transition(t) {}
    TransitionRef transition;
    // Written by the leader while it runs the batch, read by the owner once `done` (set under
    // mu_, which orders the two).
    Status status;
    bool done = false;  // under mu_
    std::condition_variable cv;
  };

  void WaitForTurn(Writer& w) REQUIRES(mu_);
  void TakeBatch(Writer& leader) REQUIRES(db_mu_, mu_);
  // Runs batch_ to the end: one or more transactions (a new one after SQLite dropped one).
  void RunBatch() REQUIRES(db_mu_);
  // Runs batch_[from..] in one transaction until the batch ends or SQLite drops the
  // transaction; returns the index after the last member it ran.
  size_t RunTransaction(size_t from) REQUIRES(db_mu_);
  // SAVEPOINT, body, RELEASE (or ROLLBACK TO + RELEASE when the body failed).
  Status RunInSavepoint(Writer& w) REQUIRES(db_mu_);
  void FailBatch(size_t from, const Status& error) REQUIRES(db_mu_);
  bool InTransaction() REQUIRES(db_mu_) { return sqlite3_get_autocommit(db_->raw()) == 0; }
  static int CommitHook(void* self);

  const GroupCommitOptions options_;
  Mutex db_mu_;
  const std::unique_ptr<Db> db_ PT_GUARDED_BY(db_mu_);
  // The leader's batch: front members of writers_, in order (reserved: filling it never allocates).
  std::vector<Writer*> batch_ GUARDED_BY(db_mu_);

  Mutex mu_ ACQUIRED_AFTER(db_mu_);
  std::deque<Writer*> writers_ GUARDED_BY(mu_);  // front: the leader (running or about to)

  std::atomic<int64_t> transitions_{0};
  std::atomic<int64_t> commits_{0};
};

}  // namespace noj::store::sqlite
