#include "redis_harness.h"

#include <cstdio>
#include <utility>

#include "store/redis/redis_store.h"

namespace noj::store::contract {

Result<std::unique_ptr<StoreHarness>> RedisHarness::Make() {
  std::unique_ptr<RedisHarness> h(new RedisHarness());
  h->redis_ = &testing::LocalRedis::Shared();
  h->url_ = h->redis_->FreshStoreUrl(&h->prefix_);
  NOJ_ASSIGN_OR_RETURN(h->store_, redis::OpenRedisStore(h->url_));
  return std::unique_ptr<StoreHarness>(std::move(h));
}

RedisHarness::~RedisHarness() {
  store_.reset();
  redis_->DeleteKeys(prefix_).IgnoreError();  // best effort: the prefix is never reused
}

bool RedisHarness::Reopen() {
  store_.reset();
  auto reopened = redis::OpenRedisStore(url_);
  if (!reopened.ok()) {
    std::fprintf(stderr, "reopen failed: %s\n", reopened.status().ToString().c_str());
    return false;
  }
  store_ = std::move(reopened).value();
  return true;
}

bool RedisHarness::Raw(const std::vector<std::string>& argv) {
  auto r = redis_->Command(argv);
  if (!r.ok())
    std::fprintf(stderr, "raw redis command failed: %s\n", r.status().ToString().c_str());
  return r.ok();
}

bool RedisHarness::CorruptResult(const std::string& submission_id) {
  return Raw({"HSET", prefix_ + "sub:" + submission_id, "result", "{\"status\": \"nonsense"});
}

bool RedisHarness::DropSubmissionRecord(const std::string& submission_id) {
  return Raw({"DEL", prefix_ + "sub:" + submission_id, prefix_ + "sub-code:" + submission_id});
}

bool RedisHarness::DropProblemRecord(int64_t problem_id) {
  const std::string pid = std::to_string(problem_id);
  return Raw({"DEL", prefix_ + "problem:" + pid, prefix_ + "testdata:" + pid});
}

}  // namespace noj::store::contract
