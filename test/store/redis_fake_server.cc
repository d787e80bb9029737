#include "redis_fake_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>

namespace noj::store::redis {

namespace {

// One complete command (an array of bulk strings) from the front of `buf`, consumed; nullopt
// while incomplete.
std::optional<std::vector<std::string>> TakeCommand(std::string& buf) {
  size_t pos = 0;
  auto line = [&]() -> std::optional<std::string> {
    const size_t end = buf.find("\r\n", pos);
    if (end == std::string::npos) return std::nullopt;
    std::string text = buf.substr(pos, end - pos);
    pos = end + 2;
    return text;
  };
  std::optional<std::string> head = line();
  if (!head || head->empty() || (*head)[0] != '*') return std::nullopt;
  const long n = std::strtol(head->c_str() + 1, nullptr, 10);
  std::vector<std::string> argv;
  for (long i = 0; i < n; ++i) {
    std::optional<std::string> len = line();
    if (!len || len->empty() || (*len)[0] != '$') return std::nullopt;
    const size_t size = std::strtoul(len->c_str() + 1, nullptr, 10);
    if (buf.size() < pos + size + 2) return std::nullopt;
    argv.push_back(buf.substr(pos, size));
    pos += size + 2;
  }
  buf.erase(0, pos);
  return argv;
}

struct Client {
  int fd;
  int number;
  std::string in;
};

}  // namespace

Result<std::unique_ptr<FakeRedis>> FakeRedis::Start(Handler handler) {
  std::unique_ptr<FakeRedis> server(new FakeRedis(std::move(handler)));
  server->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  server->stop_fd_ = eventfd(0, EFD_CLOEXEC);
  if (server->listen_fd_ < 0 || server->stop_fd_ < 0) return InternalError("fake redis: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(server->listen_fd_, 16) != 0 ||
      getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return InternalError("fake redis: bind/listen");
  }
  server->port_ = ntohs(addr.sin_port);
  server->thread_ = std::thread([s = server.get()] { s->Serve(); });
  return server;
}

FakeRedis::~FakeRedis() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    if (write(stop_fd_, &one, sizeof one) < 0) std::abort();  // cannot stop the thread
    thread_.join();
  }
  if (listen_fd_ >= 0) close(listen_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
}

std::vector<FakeRedis::Command> FakeRedis::Seen() {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_;
}

int FakeRedis::Count(const std::string& name) {
  int n = 0;
  for (const Command& c : Seen()) n += !c.argv.empty() && c.argv[0] == name ? 1 : 0;
  return n;
}

std::string FakeRedis::Default(const Command& command) {
  const std::vector<std::string>& a = command.argv;
  if (a.size() >= 2 && a[0] == "SCRIPT" && a[1] == "EXISTS") {
    std::string reply = "*" + std::to_string(a.size() - 2) + "\r\n";
    for (size_t i = 2; i < a.size(); ++i) reply += ":1\r\n";
    return reply;
  }
  if (!a.empty() && a[0] == "PING") return Simple("PONG");
  return "";
}

void FakeRedis::Serve() {
  std::vector<Client> clients;
  int accepted = 0;
  while (true) {
    std::vector<pollfd> fds = {{stop_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const Client& c : clients) fds.push_back({c.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) break;
    if (fds[1].revents != 0) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) clients.push_back({fd, ++accepted, {}});
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Client& c = clients[i - 2];
      char buf[65536];
      const ssize_t n = read(c.fd, buf, sizeof buf);
      bool drop = n <= 0;
      if (n > 0) c.in.append(buf, static_cast<size_t>(n));
      while (!drop) {
        std::optional<std::vector<std::string>> argv = TakeCommand(c.in);
        if (!argv) break;
        Command command{c.number, std::move(*argv)};
        {
          std::lock_guard<std::mutex> lock(mu_);
          seen_.push_back(command);
        }
        const std::string reply = handler_(command);
        drop = reply.empty() || send(c.fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0;
      }
      if (drop) {
        close(c.fd);
        c.fd = -1;
      }
    }
    std::erase_if(clients, [](const Client& c) { return c.fd < 0; });
  }
  for (const Client& c : clients) close(c.fd);
}

}  // namespace noj::store::redis
