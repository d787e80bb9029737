#pragma once
// FakeRedis: a scripted RESP server on a free loopback port, for the Redis client's failure
// rules that a real server cannot be made to break on cue (close the connection on the N-th
// command, on one connection and not another). Each command is answered by the test's handler,
// which returns the raw RESP reply, or "" to close that connection without answering.
//
// Thread safety: the handler runs on the server's thread; Seen() may be called from any thread.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace noj::store::redis {

class FakeRedis {
 public:
  struct Command {
    int connection = 0;  // 1, 2, ... in accept order
    std::vector<std::string> argv;
  };
  using Handler = std::function<std::string(const Command& command)>;

  static Result<std::unique_ptr<FakeRedis>> Start(Handler handler);
  ~FakeRedis();
  FakeRedis(const FakeRedis&) = delete;
  FakeRedis& operator=(const FakeRedis&) = delete;

  int port() const { return port_; }
  // Every command received so far, in arrival order.
  std::vector<Command> Seen();
  // How many commands named `name` (first argument, exact) were received.
  int Count(const std::string& name);

  // Replies for handlers.
  static std::string Simple(const std::string& s) { return "+" + s + "\r\n"; }
  static std::string Bulk(const std::string& s) {
    return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
  }
  // SCRIPT EXISTS answered "all loaded", PING answered PONG; "" for anything else.
  static std::string Default(const Command& command);

 private:
  explicit FakeRedis(Handler handler) : handler_(std::move(handler)) {}
  void Serve();

  Handler handler_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Command> seen_;  // under mu_
};

}  // namespace noj::store::redis
