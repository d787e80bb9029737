#pragma once
// One store call from a connection's coroutine: the work runs on the StoreExecutor, the coroutine
// waits on its own strand for the work to finish or for the deadline, whichever comes first.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>

#include "server/http/store_executor.h"

namespace noj::server {

enum class StoreWait {
  kDone,       // the work finished in time; its answer may be read
  kQueueFull,  // refused at once: the executor's queue was full (or it is shutting down)
  kDeadline,   // not finished in time; the answer, if it ever comes, is dropped
};

// Runs `work` on `executor` and resumes on the calling coroutine's executor (the connection's
// strand) when it is done, refused, or late. `work` leaves its answer in a slot the caller shares
// with it (a shared_ptr it captures); the caller reads it only after kDone — the completion is
// posted to the strand, which orders the write before the read. A task still queued at the
// deadline never starts (a claim nobody waits for is not made); one that finishes late is ignored.
// The strand's io_context must outlive the executor's threads (they post to it).
boost::asio::awaitable<StoreWait> AwaitStore(StoreExecutor& executor, std::function<void()> work,
                                             int64_t deadline_ms);

}  // namespace noj::server
