#include "store_factories.h"

#include "redis_harness.h"
#include "sqlite_harness.h"
#include "support/local_redis.h"

namespace noj::store::contract {

const std::vector<StoreFactory>& AllStoreFactories() {
  static const auto* factories = new std::vector<StoreFactory>{
      {"sqlite_memory", [] { return SqliteHarness::Make(/*on_file=*/false); }, nullptr},
      {"sqlite_file", [] { return SqliteHarness::Make(/*on_file=*/true); }, nullptr},
      {"redis", [] { return RedisHarness::Make(); }, &testing::LocalRedis::MissingShared},
  };
  return *factories;
}

}  // namespace noj::store::contract
