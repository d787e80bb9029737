#include "server/http/http_server.h"

#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "server/http/beast_request.h"
#include "server/http/respond.h"

namespace noj::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct HttpServer::Impl {
  Impl(const HttpServerOptions& o, const Router& r, Waiters& w)
      : options(o), router(r), waiters(w), acceptor(ioc) {}
  HttpServerOptions options;
  const Router& router;
  Waiters& waiters;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};  // requests read but not yet answered
};

namespace {

using Impl = HttpServer::Impl;

// Watches a parked connection for its client going away: a runner killed while its long-poll is
// parked leaves a FIN (or RST) behind, and a dead waiter must not be handed a job (the claim would
// burn an attempt and hold the job for a whole lease TTL). HTTP/1.1 clients send nothing while
// waiting for an answer, so readability means EOF, an error, or a pipelined request (then the
// watch just ends: the data stays in the socket for the next read).
class DisconnectWatch {
 public:
  DisconnectWatch(tcp::socket& socket, std::shared_ptr<net::steady_timer> timer)
      : socket_(socket), state_(std::make_shared<State>()) {
    // Runs on the connection's strand, as the coroutine does: either before the watch ends (the
    // socket is alive and unread) or after (then it only sees `ended`).
    socket_.async_wait(tcp::socket::wait_read, [state = state_, timer = std::move(timer),
                                                fd = socket_.native_handle()](
                                                   const boost::system::error_code& ec) {
      if (ec || state->ended) return;
      char c;
      ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)))
        return;            // a pipelined request, or a spurious wake-up: treated as still there
      state->gone = true;  // EOF (0) or a connection error
      timer->cancel();
    });
  }
  ~DisconnectWatch() {
    state_->ended = true;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
  DisconnectWatch(const DisconnectWatch&) = delete;
  DisconnectWatch& operator=(const DisconnectWatch&) = delete;

  bool gone() const { return state_->gone; }

 private:
  struct State {
    bool ended = false, gone = false;
  };
  tcp::socket& socket_;
  std::shared_ptr<State> state_;
};

// Parks a long-poll until it yields a response, its deadline passes, or the server stops; nullopt
// when the client went away meanwhile (it was never given anything).
net::awaitable<std::optional<Response>> Park(Impl* impl, LongPoll lp, tcp::socket& socket) {
  auto ex = co_await net::this_coro::executor;
  auto timer = std::make_shared<net::steady_timer>(ex);
  DisconnectWatch watch(socket, timer);
  for (;;) {
    if (impl->stopping.load()) co_return lp.on_timeout();
    Waiters::Handle handle = impl->waiters.Add(lp.topic, timer, lp.accepts);
    std::optional<Response> r = lp.retry();
    int64_t now = MonotonicMs();
    if (r || now >= lp.deadline_ms) {
      impl->waiters.Remove(lp.topic, handle);
      co_return r ? std::move(*r) : lp.on_timeout();
    }
    if (!handle->notified.load()) {
      int64_t wait_ms = std::min(lp.deadline_ms - now, impl->options.recheck_interval_ms);
      timer->expires_after(std::chrono::milliseconds(wait_ms));
      auto [ec] = co_await timer->async_wait(net::as_tuple(net::use_awaitable));
      (void)ec;  // cancelled = notified or client gone; expired = re-check or deadline
    }
    impl->waiters.Remove(lp.topic, handle);
    if (watch.gone()) {
      // A wake-up meant for a claimer goes on to the next waiter.
      if (handle->notified.load()) impl->waiters.Notify(lp.topic, 1);
      co_return std::nullopt;
    }
  }
}

http::response<http::string_body> ToBeast(const Response& resp, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(resp.status), version};
  out.set(http::field::server, "nojd");
  if (!resp.content_type.empty()) out.set(http::field::content_type, resp.content_type);
  for (const auto& [k, v] : resp.headers) out.set(k, v);
  out.body() = resp.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// Answers a request the parser refused, and closes.
net::awaitable<void> WriteAndClose(Impl* impl, beast::tcp_stream& stream, const Response& resp) {
  if (impl->options.on_response) impl->options.on_response("", "(malformed)", resp.status, 0.0);
  auto out = ToBeast(resp, 11, false);
  stream.expires_after(std::chrono::seconds(10));
  auto [ec, n] = co_await http::async_write(stream, out, net::as_tuple(net::use_awaitable));
  (void)ec;
  (void)n;
}

net::awaitable<void> Session(Impl* impl, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(impl->options.max_body_bytes);
    parser.header_limit(32 * 1024);
    stream.expires_after(std::chrono::seconds(75));  // idle keep-alive
    auto [ec, n] =
        co_await http::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    (void)n;
    if (ec == http::error::body_limit) {
      co_await WriteAndClose(impl, stream, ErrorResponse(413, "request body too large"));
      break;
    }
    if (ec == http::error::header_limit) {
      co_await WriteAndClose(impl, stream, ErrorResponse(431, "request headers too large"));
      break;
    }
    if (ec) {
      bool parse_error =
          ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message;
      if (parse_error)
        co_await WriteAndClose(impl, stream, ErrorResponse(400, "malformed HTTP request"));
      break;
    }
    impl->in_flight.fetch_add(1);
    auto started = std::chrono::steady_clock::now();
    const auto& breq = parser.get();
    bool target_ok = true;
    Request req = FromBeast(breq, target_ok);
    Response resp;
    std::string route = "(malformed)";
    if (!target_ok) {
      resp = ErrorResponse(400, "malformed request target");
    } else {
      HandlerResult hr = impl->router.Dispatch(req, &route);
      if (auto* lp = std::get_if<LongPoll>(&hr)) {
        stream.expires_never();
        std::optional<Response> parked = co_await Park(impl, std::move(*lp), stream.socket());
        if (!parked) {
          impl->in_flight.fetch_sub(1);
          NOJ_LOG_DEBUG("event=long_poll_abandoned route={}", route);
          break;
        }
        resp = std::move(*parked);
      } else {
        resp = std::move(std::get<Response>(hr));
      }
    }
    bool keep_alive = breq.keep_alive() && !impl->stopping.load();
    auto out = ToBeast(resp, breq.version(), keep_alive);
    stream.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await http::async_write(stream, out, net::as_tuple(net::use_awaitable));
    (void)wn;
    if (impl->options.on_response) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      impl->options.on_response(req.method, route, resp.status, took.count());
    }
    impl->in_flight.fetch_sub(1);
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> Listen(Impl* impl) {
  for (;;) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(net::make_strand(impl->ioc),
                                                             net::as_tuple(net::use_awaitable));
    if (ec) {
      if (impl->stopping.load() || ec == net::error::operation_aborted) co_return;
      NOJ_LOG_WARN("event=accept_failed error=\"{}\"", ec.message());
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto ex = socket.get_executor();
    net::co_spawn(ex, Session(impl, std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        NOJ_LOG_WARN("event=session_error what={}", logging::Quote(ex.what()));
      }
    });
  }
}

}  // namespace

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpServerOptions& options,
                                                       const Router& router, Waiters& waiters) {
  auto impl = std::make_unique<Impl>(options, router, waiters);
  beast::error_code ec;
  auto addr = net::ip::make_address(options.host, ec);
  if (ec) return InvalidArgumentError("bad listen address '" + options.host + "'");
  tcp::endpoint ep(addr, options.port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return UnavailableError("cannot listen on " + options.host + ":" +
                            std::to_string(options.port) + ": " + ec.message());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run() {
  net::co_spawn(impl_->ioc, Listen(impl_.get()), net::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void HttpServer::Stop(int64_t grace_ms) {
  Impl* impl = impl_.get();
  impl->stopping.store(true);
  net::post(impl->ioc, [impl] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl->waiters.NotifyAll();
  int64_t deadline = MonotonicMs() + grace_ms;
  while (impl->in_flight.load() > 0 && MonotonicMs() < deadline) {
    impl->waiters.NotifyAll();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl->ioc.stop();
}

}  // namespace noj::server
