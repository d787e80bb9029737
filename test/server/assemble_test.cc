// server::Assemble's wiring of the broadcast: wake-ups reach the waiters of their topic (a runner
// only for a class it can take), a revocation empties the auth cache, the handlers' context holds
// the dispatcher's pieces.

#include "server/assemble.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/crypto.h"
#include "dispatch/topics.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fake_clock.h"

namespace noj::server {
namespace {

class AssembleTest : public ::testing::Test {
 protected:
  AssembleTest() {
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    EXPECT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    server_ = Assemble(ServerConfig{}, Secrets{"reg", "api", "", "key"}, *store_, clock_);
  }
  // A parked waiter of `topic` that takes only jobs of `language`.
  Waiters::Handle Park(const std::string& topic, int language) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_);
    return server_->waiters.Add(topic, timer, [language](std::string_view detail) {
      auto r = api::RequirementsFromKey(detail);
      return !r || r->language == language;
    });
  }

  boost::asio::io_context io_;
  noj::testing::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Assembly> server_;
};

TEST_F(AssembleTest, JobsAvailableWakesOnlyRunnersThatCanTakeTheClass) {
  Waiters::Handle cpp = Park(dispatch::kJobsTopic, 1);
  Waiters::Handle python = Park(dispatch::kJobsTopic, 2);
  server_->broadcast.Publish(dispatch::JobsAvailable{api::JobRequirements{1, 0}, 1});
  EXPECT_TRUE(cpp->notified);
  EXPECT_FALSE(python->notified);
  EXPECT_EQ(server_->waiters.Size(), 1u);
}

TEST_F(AssembleTest, SubmissionFinalWakesItsWaiters) {
  Waiters::Handle mine = Park(dispatch::SubmissionTopic("sn_1"), 0);
  Waiters::Handle other = Park(dispatch::SubmissionTopic("sn_2"), 0);
  server_->broadcast.Deliver(dispatch::SubmissionFinal{"sn_1"});  // e.g. from another node
  EXPECT_TRUE(mine->notified);
  EXPECT_FALSE(other->notified);
}

TEST_F(AssembleTest, RevokeMakesTheAuthCacheForgetTheRunner) {
  auto r = server_->dispatcher.Register(dispatch::Registration{"r", "", {}});
  ASSERT_TRUE(r.ok());
  const std::string digest = crypto::Sha256Hex(r->token);
  AuthCache& cache = server_->context.auth_cache;
  cache.Remember(r->runner_id, digest, clock_.NowMs() + 60'000, {}, clock_.NowMs());
  ASSERT_TRUE(cache.Verified(r->runner_id, digest, clock_.NowMs()).has_value());
  ASSERT_TRUE(server_->dispatcher.Revoke(r->runner_id).ok());
  EXPECT_FALSE(cache.Verified(r->runner_id, digest, clock_.NowMs()).has_value());
}

TEST_F(AssembleTest, RevocationFromAnotherNodeIsForgottenToo) {
  AuthCache& cache = server_->context.auth_cache;
  cache.Remember("rn_x", "digest", clock_.NowMs() + 60'000, {}, clock_.NowMs());
  server_->broadcast.Deliver(dispatch::RunnerRevoked{"rn_x"});
  EXPECT_FALSE(cache.Verified("rn_x", "digest", clock_.NowMs()).has_value());
}

TEST_F(AssembleTest, ContextUsesTheConfiguredDispatcher) {
  ServerConfig config;
  config.lease_ttl_s = 7;
  config.max_attempts = 5;
  dispatch::DispatchConfig d = DispatchConfigOf(config);
  EXPECT_EQ(d.lease_ttl_ms, 7000);
  EXPECT_EQ(d.max_attempts, 5);
  EXPECT_EQ(&server_->context.dispatcher, &server_->dispatcher);
  EXPECT_EQ(&server_->context.problems, &server_->problems);
}

}  // namespace
}  // namespace noj::server
