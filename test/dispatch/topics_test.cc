// Broadcast messages as the (topic, count) pairs waiters and other nodes use, and back.

#include "dispatch/topics.h"

#include <gtest/gtest.h>

namespace noj::dispatch {
namespace {

TEST(BroadcastTopics, EveryMessageRoundTrips) {
  const std::vector<Message> messages = {JobsAvailable{std::nullopt, 3},
                                         JobsAvailable{api::JobRequirements{4, 1}, 1},
                                         SubmissionFinal{"sn_01KA0000000000000000000001"},
                                         RunnerRevoked{"rn_01KA0000000000000000000001"}};
  for (const Message& m : messages) {
    auto [topic, count] = TopicOf(m);
    std::optional<Message> back = MessageOfTopic(topic, count);
    ASSERT_TRUE(back.has_value()) << topic;
    EXPECT_EQ(TopicOf(*back), TopicOf(m)) << topic;
  }
}

TEST(BroadcastTopics, TopicsAreTheOnesNodesAlwaysExchanged) {
  EXPECT_EQ(TopicOf(JobsAvailable{std::nullopt, 5}), std::make_pair(std::string("jobs"), 5));
  EXPECT_EQ(TopicOf(JobsAvailable{api::JobRequirements{1, 0}, 1}).first, "jobs@1:0");
  EXPECT_EQ(TopicOf(SubmissionFinal{"sn_1"}), std::make_pair(std::string("submission:sn_1"), -1));
  EXPECT_EQ(TopicOf(RunnerRevoked{"rn_1"}).first, "runner-revoked:rn_1");
}

TEST(BroadcastTopics, UnknownTopicsAreIgnoredAndUnreadableClassesWakeAnyRunner) {
  EXPECT_FALSE(MessageOfTopic("something-else", 1).has_value());
  std::optional<Message> m = MessageOfTopic("jobs@not-a-class", 1);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(std::get<JobsAvailable>(*m).requirements.has_value());
}

TEST(LocalBroadcast, PublishDeliversHereThenRelays) {
  struct CountingRelay final : Relay {
    void Send(const Message&) override { ++sent; }
    RelayCounters Counters() const override { return {}; }
    int sent = 0;
  } relay;
  LocalBroadcast b;
  int delivered = 0;
  b.Subscribe([&](const Message&) { ++delivered; });
  b.Publish(SubmissionFinal{"sn_1"});
  EXPECT_EQ(delivered, 1);
  b.SetRelay(&relay);
  b.Publish(SubmissionFinal{"sn_1"});
  b.Deliver(SubmissionFinal{"sn_2"});  // from another node: never sent back
  EXPECT_EQ(delivered, 3);
  EXPECT_EQ(relay.sent, 1);
}

}  // namespace
}  // namespace noj::dispatch
