#include "callbacks/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace noj::callbacks::testing {
namespace {

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::abort();
}

bool SendAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads one request (headers, then Content-Length bytes of body). False on EOF or a stop.
bool ReadRequest(int fd, const std::atomic<bool>& stopping, Received* out) {
  std::string buf;
  size_t header_end = std::string::npos;
  size_t need = 0;
  char chunk[8192];
  for (;;) {
    if (header_end != std::string::npos && buf.size() >= header_end + 4 + need) break;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (stopping.load()) return false;
    if (r <= 0) continue;
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    if (header_end == std::string::npos &&
        (header_end = buf.find("\r\n\r\n")) != std::string::npos) {
      std::string head = buf.substr(0, header_end);
      size_t line_end = head.find("\r\n");
      std::string first = head.substr(0, line_end);
      size_t sp1 = first.find(' ');
      size_t sp2 = first.find(' ', sp1 + 1);
      out->method = first.substr(0, sp1);
      out->target = first.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        size_t e = head.find("\r\n", pos);
        if (e == std::string::npos) e = head.size();
        std::string line = head.substr(pos, e - pos);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          size_t v = line.find_first_not_of(' ', colon + 1);
          out->headers[name] = v == std::string::npos ? "" : line.substr(v);
        }
        pos = e + 2;
      }
      if (auto it = out->headers.find("content-length"); it != out->headers.end())
        need = std::stoul(it->second);
    }
  }
  out->body = buf.substr(header_end + 4, need);
  return true;
}

std::string Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 410:
      return "Gone";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

}  // namespace

TestHttpServer::TestHttpServer() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) Die("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("bind");
  if (listen(listen_fd_, 64) != 0) Die("listen");
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TestHttpServer::~TestHttpServer() {
  stopping_.store(true);
  acceptor_.join();
  close(listen_fd_);
  std::vector<std::thread> workers;
  {
    MutexLock lock(&mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
}

std::string TestHttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void TestHttpServer::SetHandler(std::function<Reply(const Received&)> handler) {
  MutexLock lock(&mu_);
  handler_ = std::move(handler);
}

bool TestHttpServer::WaitForRequests(size_t n, int64_t deadline_ms) {
  MutexLock lock(&mu_);
  return cv_.wait_for(mu_, std::chrono::milliseconds(deadline_ms), [&] {
    mu_.AssertHeld();
    return requests_.size() >= n;
  });
}

bool TestHttpServer::WaitIdle(int64_t deadline_ms) {
  MutexLock lock(&mu_);
  return cv_.wait_for(mu_, std::chrono::milliseconds(deadline_ms), [&] {
    mu_.AssertHeld();
    return open_ == 0;
  });
}

std::vector<Received> TestHttpServer::requests() {
  MutexLock lock(&mu_);
  return requests_;
}

void TestHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_.fetch_add(1);
    MutexLock lock(&mu_);
    ++open_;
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void TestHttpServer::Serve(int fd) {
  Received req;
  Reply reply;
  bool got = ReadRequest(fd, stopping_, &req);
  if (got) {
    std::function<Reply(const Received&)> handler;
    {
      MutexLock lock(&mu_);
      handler = handler_;
      requests_.push_back(req);
    }
    cv_.notify_all();
    // Outside the lock: a handler may block (a test holding a POST in flight).
    reply = handler ? handler(req) : Reply{};
  }
  if (got && reply.hang) {
    while (!stopping_.load()) {  // until the client gives up (EOF) or the server stops
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        char c;
        if (recv(fd, &c, 1, 0) <= 0) break;
      }
    }
  } else if (got) {
    size_t length = reply.huge_body_bytes > 0 ? reply.huge_body_bytes : reply.body.size();
    std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                       "\r\nConnection: close\r\n";
    for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
    if (reply.status != 204 && reply.status != 304)
      head += "Content-Length: " + std::to_string(length) + "\r\n";
    head += "\r\n";
    bool ok =
        SendAll(fd, head.data(), head.size()) && SendAll(fd, reply.body.data(), reply.body.size());
    if (ok && reply.huge_body_bytes > 0) {
      std::string zeros(64 * 1024, '0');
      size_t sent = 0;
      while (sent < length && !stopping_.load()) {
        size_t n = std::min(zeros.size(), length - sent);
        if (!SendAll(fd, zeros.data(), n)) break;
        sent += n;
        huge_sent_.store(sent);
      }
    }
  }
  close(fd);
  {
    MutexLock lock(&mu_);
    --open_;
  }
  cv_.notify_all();
}

uint16_t UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace noj::callbacks::testing
