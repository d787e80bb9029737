#pragma once
// The distributed Store: every record and the job queue in one Redis (AOF on), shared by any
// number of nojd processes. Each transition is one Lua script (src/store/redis/lua/, embedded at
// build time) run with EVALSHA, so it is atomic on the server; `now` is always an argument.
// Key layout: docs/redis.md.
//
// Errors: kUnavailable when Redis cannot be reached, times out, is loading or out of memory
// (returned quickly; the store reconnects by itself with backoff); kResourceExhausted for
// testdata or code above the configured limits; others as store/store.h documents.
//
// Thread safety: safe from many threads (a pool of connections, see connection_pool.h).

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace noj::store::redis {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;  // AUTH when set (redis://:PASSWORD@HOST:PORT/DB)
  // Every key starts with it. Several deployments (or tests) can share one Redis db.
  std::string key_prefix = "noj:";
  // Connections. Concurrent calls are pipelined on them (connection_pool.h): with nojd's 16 store
  // threads a pool of 4 carries about one round trip per job instead of three; Redis runs scripts
  // one at a time anyway, so more connections only overlap network latency.
  int pool_size = 4;
  int connect_timeout_ms = 500;
  int command_timeout_ms = 3000;
  int backoff_min_ms = 50;
  int backoff_max_ms = 2000;
  size_t max_testdata_bytes = size_t{64} << 20;
  size_t max_code_bytes = size_t{16} << 20;
};

// "redis://[:PASSWORD@]HOST:PORT[/DB][?key=value&...]" with keys prefix, pool, connect_timeout_ms,
// command_timeout_ms, max_testdata_mb. kInvalidArgument naming what is wrong.
Result<RedisOptions> ParseRedisUrl(const std::string& url);

// Connects once (kUnavailable if Redis cannot be reached at start; later outages are survived),
// loads the scripts.
Result<std::unique_ptr<Store>> OpenRedisStore(const RedisOptions& options);
Result<std::unique_ptr<Store>> OpenRedisStore(const std::string& url);

}  // namespace noj::store::redis
