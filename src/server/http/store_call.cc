#include "server/http/store_call.h"

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <utility>

namespace noj::server {

namespace net = boost::asio;

// Named, not anonymous, and no lambda kept across a co_await: the coroutine frame of a function
// with external linkage may not hold types without linkage (g++ 12, -Wsubobject-linkage).
namespace store_call_internal {

// `done` and the timer are touched on the connection's strand only; `abandoned` is also read by
// the executor thread before it starts the work.
struct StoreCall {
  explicit StoreCall(const net::any_io_executor& ex) : timer(ex) {}
  net::steady_timer timer;             // the deadline; cancelled when the work is done
  bool done = false;                   // the work finished and its answer is in the caller's slot
  std::atomic<bool> abandoned{false};  // the request was answered without it
};

bool Submit(StoreExecutor& executor, const std::shared_ptr<StoreCall>& call,
            const net::any_io_executor& ex, std::function<void()> work) {
  auto task = [call, ex, work = std::move(work)]() {
    if (call->abandoned.load()) return;
    work();
    auto finished = [call]() {
      if (call->abandoned.load()) return;  // answered without it meanwhile: dropped
      call->done = true;
      call->timer.cancel();
    };
    net::post(ex, std::move(finished));
  };
  return executor.TrySubmit(std::move(task));
}

}  // namespace store_call_internal

net::awaitable<StoreWait> AwaitStore(StoreExecutor& executor, std::function<void()> work,
                                     int64_t deadline_ms) {
  using store_call_internal::StoreCall;
  net::any_io_executor ex = co_await net::this_coro::executor;
  auto call = std::make_shared<StoreCall>(ex);
  if (!store_call_internal::Submit(executor, call, ex, std::move(work)))
    co_return StoreWait::kQueueFull;
  call->timer.expires_after(std::chrono::milliseconds(deadline_ms));
  auto [ec] = co_await call->timer.async_wait(net::as_tuple(net::use_awaitable));
  (void)ec;  // cancelled = done; expired = the deadline (unless done meanwhile)
  if (call->done) co_return StoreWait::kDone;
  call->abandoned.store(true);
  co_return StoreWait::kDeadline;
}

}  // namespace noj::server
