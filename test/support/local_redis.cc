#include "support/local_redis.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "support/host_check.h"

namespace noj::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};

// A port the kernel just handed out on 127.0.0.1 (free at that instant).
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string ReplyText(const redisReply* r) {
  if (r == nullptr) return "";
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      return std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i > 0) out += '\n';
        out += ReplyText(r->element[i]);
      }
      return out;
    }
    default:
      return "";
  }
}

// redis://HOST:PORT[/DB] (the test environment's form; nothing else is accepted).
bool ParseUrl(const std::string& url, std::string& host, int& port, int& db) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    db = std::atoi(rest.substr(slash + 1).c_str());
    rest = rest.substr(0, slash);
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return false;
  host = rest.substr(0, colon);
  port = std::atoi(rest.substr(colon + 1).c_str());
  return !host.empty() && port > 0;
}

}  // namespace

std::string LocalRedis::MissingServer() {
  const char* path = std::getenv("PATH");
  if (MissingProgram("redis-server", path != nullptr ? path : "").empty()) return "";
  return "needs redis-server: not found in $PATH (apt-get install redis-server)";
}

std::string LocalRedis::MissingShared() {
  if (const char* url = std::getenv("NOJ_TEST_REDIS_URL"); url != nullptr && *url != '\0')
    return "";
  std::string why = MissingServer();
  return why.empty() ? why : why + ", or set NOJ_TEST_REDIS_URL=redis://HOST:PORT/DB";
}

LocalRedis& LocalRedis::Shared() {
  static std::mutex mu;
  static std::unique_ptr<LocalRedis> shared;  // stopped by its destructor at exit
  std::lock_guard<std::mutex> lock(mu);
  if (shared) return *shared;
  if (const char* url = std::getenv("NOJ_TEST_REDIS_URL"); url != nullptr && *url != '\0') {
    std::unique_ptr<LocalRedis> r(new LocalRedis());
    if (!ParseUrl(url, r->host_, r->port_, r->db_)) {
      std::fprintf(stderr, "NOJ_TEST_REDIS_URL=%s is not redis://HOST:PORT/DB\n", url);
      std::abort();
    }
    shared = std::move(r);
    return *shared;
  }
  auto started = Start();
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start redis-server for the tests: %s\n",
                 started.status().ToString().c_str());
    std::abort();
  }
  shared = std::move(started).value();
  return *shared;
}

Result<std::unique_ptr<LocalRedis>> LocalRedis::Start() {
  std::unique_ptr<LocalRedis> r(new LocalRedis());
  r->owned_ = true;
  r->dir_ = std::make_unique<TempDir>();
  Status last = InternalError("no attempt");
  for (int attempt = 0; attempt < 5; ++attempt) {  // the free port may be taken meanwhile
    r->port_ = FreeLoopbackPort();
    if (r->port_ == 0) continue;
    last = r->Spawn();
    if (last.ok()) return r;
  }
  return last;
}

LocalRedis::~LocalRedis() {
  if (owned_ && pid_ > 0) Stop().IgnoreError();  // best effort: PDEATHSIG is the fallback
}

Status LocalRedis::Spawn() {
  const std::string port = std::to_string(port_);
  const std::string dir = dir_->path().string();
  const std::string log = dir_->File("redis.log");
  std::vector<std::string> args = {
      "redis-server", "--port", port, "--bind",      "127.0.0.1", "--save",    "", "--appendonly",
      "yes",          "--dir",  dir,  "--daemonize", "no",        "--logfile", log};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return InternalError("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);  // the parent died before prctl
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
    }
    execvp("redis-server", argv.data());
    std::fprintf(stderr, "exec redis-server failed\n");
    _exit(127);
  }
  pid_ = pid;
  Status ready = WaitReady(10'000);
  if (!ready.ok()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  return ready;
}

Status LocalRedis::WaitReady(int timeout_ms) {
  const auto deadline = steady_clock::now() + milliseconds(timeout_ms);
  while (steady_clock::now() < deadline) {
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return UnavailableError("redis-server exited at start (port " + std::to_string(port_) +
                              " taken?)");
    }
    auto pong = Command({"PING"});
    if (pong.ok() && *pong == "PONG") return Status::Ok();
    std::this_thread::sleep_for(milliseconds(10));  // start-up wait, not a test delay
  }
  return UnavailableError("redis-server did not answer within " + std::to_string(timeout_ms) +
                          " ms");
}

Status LocalRedis::Stop() {
  if (!owned_) return FailedPreconditionError("this redis-server is not ours to stop");
  if (pid_ <= 0) return Status::Ok();
  kill(pid_, SIGTERM);
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    const pid_t done = waitpid(pid_, nullptr, WNOHANG);
    if (done == pid_ || done < 0) break;
    if (steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  pid_ = -1;
  return Status::Ok();
}

Status LocalRedis::Restart() {
  if (!owned_) return FailedPreconditionError("this redis-server is not ours to restart");
  if (pid_ > 0) return FailedPreconditionError("redis-server is running");
  return Spawn();
}

std::string LocalRedis::Url() const {
  return "redis://" + host_ + ":" + std::to_string(port_) + "/" + std::to_string(db_);
}

std::string LocalRedis::FreshPrefix() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  char buf[64];
  std::snprintf(buf, sizeof buf, "t%d-%x-%d:", static_cast<int>(getpid()), salt & 0xffff,
                counter.fetch_add(1));
  return buf;
}

std::string LocalRedis::FreshStoreUrl(std::string* prefix_out) {
  const std::string prefix = FreshPrefix();
  if (prefix_out != nullptr) *prefix_out = prefix;
  return Url() + "?prefix=" + prefix;
}

Result<std::string> LocalRedis::Command(const std::vector<std::string>& argv) const {
  timeval tv{2, 0};
  std::unique_ptr<redisContext, ContextFree> c(redisConnectWithTimeout(host_.c_str(), port_, tv));
  if (!c || c->err != 0) return UnavailableError("cannot connect to redis at " + Url());
  redisSetTimeout(c.get(), timeval{10, 0});
  auto run = [&](const std::vector<std::string>& args) -> Result<std::string> {
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (const std::string& a : args) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
    std::unique_ptr<redisReply, ReplyFree> r(static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(ptrs.size()), ptrs.data(), lens.data())));
    if (!r) return UnavailableError("redis at " + Url() + " did not answer");
    if (r->type == REDIS_REPLY_ERROR) return InternalError(ReplyText(r.get()));
    return ReplyText(r.get());
  };
  if (db_ != 0) NOJ_RETURN_IF_ERROR(run({"SELECT", std::to_string(db_)}).status());
  return run(argv);
}

Status LocalRedis::DeleteKeys(const std::string& prefix) const {
  // EVAL keeps it to one round trip per batch; test clean-up only, never a hot path.
  static const char* kScript =
      "local cursor, n = '0', 0 "
      "repeat "
      "  local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1] .. '*', 'COUNT', 1000) "
      "  cursor = r[1] "
      "  for _, k in ipairs(r[2]) do redis.call('DEL', k); n = n + 1 end "
      "until cursor == '0' "
      "return n";
  std::string pattern;
  for (char ch : prefix) {  // escape glob characters
    if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  return Command({"EVAL", kScript, "0", pattern}).status();
}

}  // namespace noj::testing
