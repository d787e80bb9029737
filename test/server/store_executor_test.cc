// The store executor and the deadline of one store call (src/server/http/store_executor.h,
// store_call.h): a bounded queue that refuses at once when full; a deadline that answers before
// slow work finishes; a late answer dropped without harm; a shutdown that joins running tasks.
// Synchronised with latches and promises; the only timers are the deadlines under test.

#include "server/http/store_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <future>
#include <latch>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "server/http/store_call.h"

namespace noj::server {
namespace {

namespace net = boost::asio;

// Opens once; every task that waits on it blocks until then.
class Gate {
 public:
  void Open() { promise_.set_value(); }
  void Wait() const { future_.wait(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
};

StoreExecutor::Options Small(int threads, size_t queue_limit) {
  StoreExecutor::Options o;
  o.threads = threads;
  o.queue_limit = queue_limit;
  return o;
}

TEST(StoreExecutor, BoundedQueueRefusesWhenFull) {
  Gate gate;
  std::latch running(1);
  std::latch queued_ran(2);
  StoreExecutor executor(Small(1, 2));
  ASSERT_TRUE(executor.TrySubmit([&] {
    running.count_down();
    gate.Wait();
  }));
  running.wait();  // the one thread is busy: what follows waits in the queue
  EXPECT_TRUE(executor.TrySubmit([&] { queued_ran.count_down(); }));
  EXPECT_TRUE(executor.TrySubmit([&] { queued_ran.count_down(); }));
  EXPECT_FALSE(executor.TrySubmit([] { ADD_FAILURE() << "a refused task ran"; }));
  StoreExecutor::Load load = executor.load();
  EXPECT_EQ(load.queued, 2u);
  EXPECT_EQ(load.busy, 1);
  gate.Open();
  queued_ran.wait();                       // the queued ones still run once a thread is free
  EXPECT_TRUE(executor.TrySubmit([] {}));  // room again
}

TEST(StoreExecutor, ReportsItsLoadOnEveryChange) {
  std::atomic<int> max_busy{0}, reports{0};
  StoreExecutor::Options o = Small(2, 8);
  o.on_load = [&](const StoreExecutor::Load& l) {
    reports.fetch_add(1);
    if (l.busy > max_busy.load()) max_busy.store(l.busy);
  };
  Gate gate;
  std::latch both(2);
  StoreExecutor executor(o);
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(executor.TrySubmit([&] {
      both.count_down();
      gate.Wait();
    }));
  both.wait();
  EXPECT_EQ(max_busy.load(), 2);
  gate.Open();
  executor.Shutdown();
  EXPECT_EQ(executor.load().busy, 0);
  EXPECT_GE(reports.load(), 6);  // 2 queued, 2 started, 2 finished (+ the shutdown's)
}

TEST(StoreExecutor, ShutdownWithTasksInFlightJoinsCleanly) {
  // Once armed, the first report of an empty queue is the shutdown's drop: every thread is busy,
  // so none can have taken the queued task.
  std::atomic<bool> armed{false};
  std::latch dropped(1);
  StoreExecutor::Options o = Small(3, 16);
  o.on_load = [&](const StoreExecutor::Load& l) {
    if (l.queued == 0 && armed.exchange(false)) dropped.count_down();
  };
  Gate gate;
  std::latch running(3);
  StoreExecutor executor(o);
  std::atomic<int> finished{0};
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(executor.TrySubmit([&] {
      running.count_down();
      gate.Wait();
      finished.fetch_add(1);
    }));
  running.wait();
  // Queued behind the running ones: dropped by the shutdown, never run, captures released.
  auto capture = std::make_shared<int>(7);
  std::weak_ptr<int> watch = capture;
  ASSERT_TRUE(
      executor.TrySubmit([c = std::move(capture)] { ADD_FAILURE() << "a dropped task ran"; }));
  armed.store(true);
  std::thread stopper([&] { executor.Shutdown(); });
  dropped.wait();  // the shutdown has begun: it now waits for the running tasks
  gate.Open();
  stopper.join();
  EXPECT_EQ(finished.load(), 3);
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(executor.TrySubmit([] {}));  // refused after shutdown
  executor.Shutdown();                      // idempotent
}

net::awaitable<void> AwaitInto(StoreExecutor* executor, std::function<void()> work,
                               int64_t deadline_ms, std::optional<StoreWait>* out) {
  *out = co_await AwaitStore(*executor, std::move(work), deadline_ms);
}

// Runs AwaitStore as a connection does: a coroutine on a strand of `io_`.
class StoreCallTest : public ::testing::Test {
 protected:
  std::optional<StoreWait> Await(StoreExecutor& executor, std::function<void()> work,
                                 int64_t deadline_ms) {
    std::optional<StoreWait> out;
    net::co_spawn(net::make_strand(io_), AwaitInto(&executor, std::move(work), deadline_ms, &out),
                  net::detached);
    io_.run();
    io_.restart();
    return out;
  }
  net::io_context io_;
};

TEST_F(StoreCallTest, FinishedWorkIsDoneAndItsAnswerReadable) {
  StoreExecutor executor(Small(1, 4));
  auto slot = std::make_shared<int>(0);
  auto wait = Await(
      executor, [slot] { *slot = 42; }, 60'000);
  EXPECT_EQ(wait, StoreWait::kDone);
  EXPECT_EQ(*slot, 42);
}

TEST_F(StoreCallTest, DeadlineAnswersBeforeASlowTaskFinishes) {
  Gate gate;
  StoreExecutor executor(Small(1, 4));
  auto finished = std::make_shared<std::atomic<bool>>(false);
  auto started = std::make_shared<std::latch>(1);
  auto wait = Await(
      executor,
      [&gate, finished, started] {
        started->count_down();
        gate.Wait();
        finished->store(true);
      },
      50);
  EXPECT_EQ(wait, StoreWait::kDeadline);
  started->wait();                 // it did start (it was not refused)...
  EXPECT_FALSE(finished->load());  // ...and the answer came without it
  // The late answer: posted to the strand, which ignores it. Nothing may crash or resume twice.
  gate.Open();
  executor.Shutdown();  // joins: the late completion is queued on io_ now
  EXPECT_TRUE(finished->load());
  EXPECT_GE(io_.run(), 1u);  // the dropped completion ran
}

TEST_F(StoreCallTest, LateAnswerIsDroppedAndItsSlotNeverRead) {
  Gate gate;
  StoreExecutor executor(Small(1, 4));
  auto slot = std::make_shared<std::optional<int>>();
  auto wait = Await(
      executor,
      [&gate, slot] {
        gate.Wait();
        *slot = 1;
      },
      20);
  ASSERT_EQ(wait, StoreWait::kDeadline);
  gate.Open();
  executor.Shutdown();
  io_.run();
  // The slot belongs to the task (and the caller, who no longer reads it); it is written once and
  // nothing else happens: in particular no second resumption of the finished coroutine.
  EXPECT_EQ(*slot, 1);
  EXPECT_EQ(slot.use_count(), 1);  // every capture released
}

TEST_F(StoreCallTest, TaskStillQueuedAtTheDeadlineNeverStarts) {
  Gate gate;
  std::latch running(1);
  std::latch after(1);  // FIFO: runs after the abandoned task was taken off the queue
  // Declared last, destroyed first: its threads are joined before what their tasks touch goes.
  StoreExecutor executor(Small(1, 4));
  ASSERT_TRUE(executor.TrySubmit([&] {
    running.count_down();
    gate.Wait();
  }));
  running.wait();
  auto ran = std::make_shared<std::atomic<bool>>(false);
  auto wait = Await(
      executor, [ran] { ran->store(true); }, 20);
  EXPECT_EQ(wait, StoreWait::kDeadline);
  gate.Open();
  ASSERT_TRUE(executor.TrySubmit([&] { after.count_down(); }));
  after.wait();
  EXPECT_FALSE(ran->load());
}

TEST_F(StoreCallTest, FullQueueIsRefusedAtOnce) {
  Gate gate;
  std::latch running(1);
  StoreExecutor executor(Small(1, 1));
  ASSERT_TRUE(executor.TrySubmit([&] {
    running.count_down();
    gate.Wait();
  }));
  running.wait();
  ASSERT_TRUE(executor.TrySubmit([] {}));  // the queue's one place
  auto wait = Await(
      executor, [] { ADD_FAILURE() << "a refused call ran"; }, 60'000);
  EXPECT_EQ(wait, StoreWait::kQueueFull);
  gate.Open();
}

}  // namespace
}  // namespace noj::server
