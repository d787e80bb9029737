#pragma once
// StoreHarness for the Redis store: the shared LocalRedis (test/support/local_redis.h), a fresh
// key prefix per test (deleted at the end), Reopen() on the same prefix, and raw damage through
// plain Redis commands.

#include <memory>
#include <string>

#include "store_factories.h"
#include "support/local_redis.h"

namespace noj::store::contract {

class RedisHarness final : public StoreHarness {
 public:
  static Result<std::unique_ptr<StoreHarness>> Make();
  ~RedisHarness() override;

  Store& store() override { return *store_; }
  bool Reopen() override;
  bool CorruptResult(const std::string& submission_id) override;
  bool DropSubmissionRecord(const std::string& submission_id) override;
  bool DropProblemRecord(int64_t problem_id) override;
  std::optional<int64_t> CommandsRun() override;

  const std::string& url() const { return url_; }
  const std::string& prefix() const { return prefix_; }

 private:
  RedisHarness() = default;
  bool Raw(const std::vector<std::string>& argv);

  testing::LocalRedis* redis_ = nullptr;
  std::string prefix_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

}  // namespace noj::store::contract
