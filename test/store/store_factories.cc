#include "store_factories.h"

#include "redis_harness.h"
#include "sqlite_harness.h"

namespace noj::store::contract {

const std::vector<StoreFactory>& AllStoreFactories() {
  static const auto* factories = new std::vector<StoreFactory>{
      {"sqlite_memory", [] { return SqliteHarness::Make(/*on_file=*/false); }},
      {"sqlite_file", [] { return SqliteHarness::Make(/*on_file=*/true); }},
      {"redis", [] { return RedisHarness::Make(); }},
  };
  return *factories;
}

}  // namespace noj::store::contract
