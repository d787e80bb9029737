// Waiters: a "<topic>@<detail>" notification wakes only the waiters whose filter accepts the
// detail (judging.md §5: an enqueue wakes a runner that can take the job), FIFO among them.

#include "server/http/waiters.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string_view>

namespace noj::server {
namespace {

class WaitersTest : public ::testing::Test {
 protected:
  Waiters::Handle Park(const std::string& topic, Waiters::Filter accepts = {}) {
    return waiters_.Add(topic, std::make_shared<boost::asio::steady_timer>(io_),
                        std::move(accepts));
  }
  boost::asio::io_context io_;
  Waiters waiters_;
};

// Accepts the classes of a runner that can do C++ only ("1:<bits>" with no feature).
bool PlainCpp(std::string_view detail) { return detail == "1:0"; }

TEST_F(WaitersTest, ADetailWakesTheFirstWaiterThatAcceptsIt) {
  Waiters::Handle plain = Park("jobs", PlainCpp);
  Waiters::Handle everything = Park("jobs");  // no filter: takes anything
  Waiters::Handle plain2 = Park("jobs", PlainCpp);
  waiters_.Notify("jobs@1:1", 1);  // a C++ job with a checker
  EXPECT_FALSE(plain->notified.load());
  EXPECT_TRUE(everything->notified.load());
  EXPECT_FALSE(plain2->notified.load());
  EXPECT_EQ(waiters_.Size(), 2u);
  waiters_.Notify("jobs@1:0", 1);  // a plain C++ job: the first in line that accepts it
  EXPECT_TRUE(plain->notified.load());
  EXPECT_FALSE(plain2->notified.load());
}

TEST_F(WaitersTest, NobodyAcceptingLeavesEveryoneParked) {
  Waiters::Handle plain = Park("jobs", PlainCpp);
  waiters_.Notify("jobs@4:0", -1);
  EXPECT_FALSE(plain->notified.load());
  EXPECT_EQ(waiters_.Size(), 1u);
}

TEST_F(WaitersTest, APlainTopicWakesAnyWaiterAndOtherTopicsAreUntouched) {
  Waiters::Handle plain = Park("jobs", PlainCpp);
  Waiters::Handle sub = Park("submission:sn_x");
  waiters_.Notify("jobs", 1);
  EXPECT_TRUE(plain->notified.load());
  EXPECT_FALSE(sub->notified.load());
  waiters_.Notify("submission:sn_x@whatever", -1);  // a detail on an unfiltered waiter: woken
  EXPECT_TRUE(sub->notified.load());
  EXPECT_EQ(waiters_.Size(), 0u);
}

}  // namespace
}  // namespace noj::server
