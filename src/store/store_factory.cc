#include "store/store_factory.h"

#include "store/redis/redis_store.h"
#include "store/sqlite/sqlite_store.h"

namespace noj::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    // sqlite:PATH[?sync=full|normal]. full (default): every transition is fsynced before it is
    // answered, so an acknowledged submission or result survives power loss. normal: survives a
    // crash of nojd (INV6) but the last commits may be lost on power loss; several times faster.
    std::string path = url.substr(7);
    sqlite::SqliteOptions options;
    if (size_t q = path.find("?sync="); q != std::string::npos) {
      std::string mode = path.substr(q + 6);
      path.resize(q);
      if (mode == "normal")
        options.synchronous_full = false;
      else if (mode != "full")
        return InvalidArgumentError("sqlite sync must be full or normal, got '" + mode + "'");
    }
    return sqlite::OpenSqliteStore(path, options);
  }
  if (url.rfind("redis://", 0) == 0) return redis::OpenRedisStore(url);
  return InvalidArgumentError("unknown store URL '" + url +
                              "' (want sqlite:PATH or redis://HOST:PORT/DB)");
}

}  // namespace noj::store
