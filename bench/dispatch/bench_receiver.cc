// The callback receiver of phase 6 (see bench_receiver.h). One thread accepts; each connection
// gets a thread of its own (nojd keeps a keep-alive connection per delivery worker, at most 8).

#include "bench_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace noj::bench {
namespace {

constexpr int kPollMs = 100;                  // how often a blocked thread looks at stop_
constexpr size_t kMaxHeaderBytes = 64 << 10;  // a request head larger than this is malformed
constexpr size_t kMaxBodyBytes = 16 << 20;

bool SendAll(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The parts of a request head the receiver needs.
struct Head {
  bool ok = false;
  size_t content_length = 0;
  bool close = false;  // "connection: close"
  std::string webhook_id;
  bool has_signature = false;
};

Head ParseHead(std::string_view head) {
  Head h;
  size_t eol = head.find("\r\n");
  std::string_view request_line = head.substr(0, eol);
  if (request_line.find(' ') == std::string_view::npos) return h;
  bool chunked = false;
  while (eol != std::string_view::npos && eol + 2 < head.size()) {
    size_t start = eol + 2;
    eol = head.find("\r\n", start);
    std::string_view line =
        head.substr(start, eol == std::string_view::npos ? head.npos : eol - start);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-length") {
      h.content_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
    } else if (name == "connection") {
      h.close = Lower(value) == "close";
    } else if (name == "transfer-encoding") {
      chunked = true;  // nojd sends Content-Length; anything else is not expected here
    } else if (name == "webhook-id") {
      h.webhook_id = std::string(value);
    } else if (name == "webhook-signature") {
      h.has_signature = value.substr(0, 3) == "v1,";
    }
  }
  h.ok = !chunked && h.content_length <= kMaxBodyBytes;
  return h;
}

}  // namespace

bool BenchReceiver::Start(std::string* error) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    *error = std::string("receiver socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 128) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    *error = std::string("receiver bind/listen: ") + std::strerror(errno);
    close(listen_fd_);
    listen_fd_ = -1;
    return false;
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return true;
}

void BenchReceiver::Stop() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> conns;
  {
    noj::MutexLock lock(&mu_);
    conns.swap(connections_);
  }
  for (auto& t : conns) t.join();
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
}

int64_t BenchReceiver::distinct() const {
  noj::MutexLock lock(&mu_);
  return static_cast<int64_t>(tally_.first_arrival.size());
}

BenchReceiver::Tally BenchReceiver::Take() const {
  noj::MutexLock lock(&mu_);
  return tally_;
}

void BenchReceiver::Record(const std::string& webhook_id, bool has_signature,
                           Clock::time_point at) {
  noj::MutexLock lock(&mu_);
  ++tally_.posts;
  if (has_signature) ++tally_.signed_posts;
  if (!tally_.first_arrival.try_emplace(webhook_id, at).second) ++tally_.duplicates;
  tally_.last_arrival = at;
}

void BenchReceiver::AcceptLoop() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    int r = poll(&p, 1, kPollMs);
    if (r <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    noj::MutexLock lock(&mu_);
    ++tally_.connections;
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void BenchReceiver::Serve(int fd) {
  std::string buf;
  char chunk[16 << 10];
  bool open = true;
  while (open && !stop_.load()) {
    // Answer every complete request already in the buffer (a client may pipeline).
    size_t head_end;
    while (open && (head_end = buf.find("\r\n\r\n")) != std::string::npos) {
      Head h = ParseHead(std::string_view(buf).substr(0, head_end + 2));
      if (!h.ok) {
        {
          noj::MutexLock lock(&mu_);
          ++tally_.malformed;
        }
        SendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        open = false;
        break;
      }
      const size_t total = head_end + 4 + h.content_length;
      if (buf.size() < total) break;  // the body is still coming
      Record(h.webhook_id, h.has_signature, Clock::now());
      buf.erase(0, total);
      open = SendAll(fd, "HTTP/1.1 204 No Content\r\n\r\n") && !h.close;
    }
    if (!open) break;
    if (buf.size() > kMaxHeaderBytes + kMaxBodyBytes) break;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, kPollMs);
    if (r <= 0) continue;
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the peer closed
    buf.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
}

}  // namespace noj::bench
