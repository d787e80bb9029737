#include "store/store_factory.h"

#include "store/redis/redis_store.h"
#include "store/sqlite/sqlite_store.h"

namespace noj::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) return sqlite::OpenSqliteStore(url.substr(7));
  if (url.rfind("redis://", 0) == 0) return redis::OpenRedisStore(url);
  return InvalidArgumentError("unknown store URL '" + url +
                              "' (want sqlite:PATH or redis://HOST:PORT/DB)");
}

}  // namespace noj::store
