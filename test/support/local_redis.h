#pragma once
// LocalRedis: a redis-server for tests.
//
// Shared(): the process-wide server. If NOJ_TEST_REDIS_URL is set (redis://HOST:PORT/DB), that
// server is used and never started or stopped; else a redis-server (Debian package) is started on
// a free loopback port with a temp dir, AOF on, no RDB snapshots, and stopped (by its PID) when
// the process exits. Start(): a server of its own, always started here (for tests that stop and
// restart it). Tests isolate themselves with a fresh key prefix each (FreshPrefix), so many tests
// and processes can share one server.
//
// The child gets PR_SET_PDEATHSIG(SIGTERM): a crashed test binary does not leave it running.
// Thread safety: Shared() is thread-safe; the methods of one instance are not (tests call them
// from the test thread).

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "support/temp_dir.h"

namespace noj::testing {

class LocalRedis {
 public:
  // The process-wide server. Aborts the test binary with a message if none can be had: check
  // MissingShared() first.
  static LocalRedis& Shared();
  // A server started for the caller (ignores NOJ_TEST_REDIS_URL): check MissingServer() first.
  static Result<std::unique_ptr<LocalRedis>> Start();

  // "" when Start() can work (redis-server is on $PATH), else why not, for GTEST_SKIP().
  static std::string MissingServer();
  // "" when Shared() can work (NOJ_TEST_REDIS_URL is set, or MissingServer() is ""), else why not.
  static std::string MissingShared();

  ~LocalRedis();
  LocalRedis(const LocalRedis&) = delete;
  LocalRedis& operator=(const LocalRedis&) = delete;

  // redis://HOST:PORT/DB of this server.
  std::string Url() const;
  // Url() with "?prefix=<a prefix no other test uses>" (unique across processes too).
  std::string FreshStoreUrl(std::string* prefix_out = nullptr);
  std::string FreshPrefix();

  // Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. kFailedPrecondition
  // if this instance did not start it.
  Status Stop();
  // Starts it again on the same port and dir (the AOF is replayed). Waits until it answers.
  Status Restart();
  bool owned() const { return owned_; }
  int port() const { return port_; }

  // One command on a fresh connection; the reply as text (arrays joined by '\n', nil as "").
  // kUnavailable if the server does not answer, kInternal for an error reply.
  Result<std::string> Command(const std::vector<std::string>& argv) const;
  // Deletes every key that starts with `prefix` (SCAN + DEL; for cleaning up after a test).
  Status DeleteKeys(const std::string& prefix) const;

 private:
  LocalRedis() = default;
  Status Spawn();
  Status WaitReady(int timeout_ms);

  std::string host_ = "127.0.0.1";
  int port_ = 0;
  int db_ = 0;
  bool owned_ = false;
  pid_t pid_ = -1;
  std::unique_ptr<TempDir> dir_;
};

}  // namespace noj::testing
