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
#include "common/thread_name.h"
#include "server/http/beast_request.h"
#include "server/http/respond.h"
#include "server/http/store_call.h"

namespace noj::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct HttpServer::Impl {
  Impl(const HttpServerOptions& o, const Router& r, Waiters& w)
      : options(o), router(r), waiters(w), acceptor(ioc), executor(ExecutorOptions(o)) {}
  static StoreExecutor::Options ExecutorOptions(const HttpServerOptions& o) {
    StoreExecutor::Options e;
    e.threads = o.store_threads;
    e.queue_limit = o.store_queue;
    if (o.on_store_load)
      e.on_load = [cb = o.on_store_load](const StoreExecutor::Load& l) { cb(l.queued, l.busy); };
    return e;
  }
  HttpServerOptions options;
  const Router& router;
  Waiters& waiters;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};  // requests read but not yet answered
  // After `ioc`, so destroyed (and joined) first: a finishing task posts its answer to a strand of
  // `ioc`, which must still exist.
  StoreExecutor executor;
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

// ---- store work off the I/O thread ----

// AwaitStore, counting refusals for the metrics.
net::awaitable<StoreWait> RunOnStore(Impl* impl, std::function<void()> work, int64_t deadline_ms) {
  StoreWait w = co_await AwaitStore(impl->executor, std::move(work), deadline_ms);
  if (w != StoreWait::kDone && impl->options.on_store_refused)
    impl->options.on_store_refused(w == StoreWait::kDeadline);
  co_return w;
}

// A handler's own 503 is the store saying kUnavailable (api::HttpStatusFor; the deadline's 503s
// are not the handler's): /healthz need not wait for the next probe to say so.
void NoteStoreAnswer(const Impl* impl, const Response* r) {
  if (r != nullptr && r->status == 503 && impl->options.on_store_unavailable)
    impl->options.on_store_unavailable();
}

// The answer to a request whose store work did not run or did not finish in time.
Response StoreRefusal(StoreWait why) {
  return ErrorResponse(503, why == StoreWait::kDeadline
                                ? "service unavailable: the store did not answer in time"
                                : "service unavailable: too many requests wait for the store");
}

int64_t StoreDeadline(const Impl* impl, const RouteOptions* route) {
  int64_t d = impl->options.store_deadline_ms;
  if (route != nullptr && route->deadline_ms > 0 && route->deadline_ms < d) d = route->deadline_ms;
  return d;
}

// A long-poll's on_timeout (which may read the store, e.g. a submission's last state).
net::awaitable<Response> TimeoutAnswer(Impl* impl,
                                       std::shared_ptr<std::function<Response()>> on_timeout) {
  auto answer = std::make_shared<Response>();
  std::function<void()> work = [on_timeout, answer]() {
    try {
      *answer = (*on_timeout)();
    } catch (const std::exception& e) {
      NOJ_LOG_ERROR("event=handler_exception what={}", logging::Quote(e.what()));
      *answer = ErrorResponse(500, "internal error");
    }
  };
  StoreWait w = co_await RunOnStore(impl, std::move(work), StoreDeadline(impl, nullptr));
  if (w != StoreWait::kDone) co_return StoreRefusal(w);
  NoteStoreAnswer(impl, answer.get());
  co_return std::move(*answer);
}

// Parks a long-poll until it yields a response, its deadline passes, or the server stops; nullopt
// when the client went away meanwhile (it was never given anything). Each re-try runs on the
// store executor with the store deadline (a missed one answers 503); the wait in between is a
// timer on the strand.
net::awaitable<std::optional<Response>> Park(Impl* impl, LongPoll lp, tcp::socket& socket) {
  auto ex = co_await net::this_coro::executor;
  auto timer = std::make_shared<net::steady_timer>(ex);
  DisconnectWatch watch(socket, timer);
  // Shared with the executor's task, which may outlive this frame when its deadline passes.
  auto retry = std::make_shared<std::function<std::optional<Response>()>>(std::move(lp.retry));
  auto on_timeout = std::make_shared<std::function<Response()>>(std::move(lp.on_timeout));
  for (;;) {
    if (impl->stopping.load()) co_return co_await TimeoutAnswer(impl, on_timeout);
    Waiters::Handle handle = impl->waiters.Add(lp.topic, timer, lp.accepts);
    auto tried = std::make_shared<std::optional<Response>>();
    std::function<void()> work = [retry, tried]() {
      try {
        *tried = (*retry)();
      } catch (const std::exception& e) {
        NOJ_LOG_ERROR("event=handler_exception what={}", logging::Quote(e.what()));
        *tried = ErrorResponse(500, "internal error");
      }
    };
    StoreWait w = co_await RunOnStore(impl, std::move(work), StoreDeadline(impl, nullptr));
    if (w != StoreWait::kDone) {
      impl->waiters.Remove(lp.topic, handle);
      // A wake-up meant for this claimer goes on to the next waiter.
      if (handle->notified.load()) impl->waiters.Notify(lp.topic, 1);
      co_return StoreRefusal(w);
    }
    std::optional<Response> r = std::move(*tried);
    NoteStoreAnswer(impl, r ? &*r : nullptr);
    int64_t now = MonotonicMs();
    if (r || now >= lp.deadline_ms) {
      impl->waiters.Remove(lp.topic, handle);
      if (r) co_return std::move(*r);
      co_return co_await TimeoutAnswer(impl, on_timeout);
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

// Runs the request's route: inline, or on the store executor with its deadline (then a refusal
// is the route's fallback or a 503). Sets `route` to the route's label.
net::awaitable<HandlerResult> Handle(Impl* impl, std::shared_ptr<const Request> req,
                                     std::string& route) {
  Router::Match m = impl->router.Find(*req);
  route = *m.route;
  if (m.handler == nullptr) co_return std::move(m.refusal);
  if (m.options->kind == RouteKind::kInline) co_return Router::Invoke(*m.handler, *req, m.params);
  auto answer = std::make_shared<HandlerResult>();
  std::function<void()> work = [handler = m.handler, req, params = m.params, answer]() {
    *answer = Router::Invoke(*handler, *req, params);
  };
  StoreWait w = co_await RunOnStore(impl, std::move(work), StoreDeadline(impl, m.options));
  if (w == StoreWait::kDone) {
    NoteStoreAnswer(impl, std::get_if<Response>(answer.get()));
    co_return std::move(*answer);
  }
  if (m.options->fallback) co_return Router::Invoke(m.options->fallback, *req, m.params);
  co_return StoreRefusal(w);
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
    stream.expires_never();  // the handler may wait for the store; writing sets its own expiry
    auto started = std::chrono::steady_clock::now();
    const auto& breq = parser.get();
    bool target_ok = true;
    // Shared with the executor's task, which may outlive this iteration when its deadline passes.
    auto req = std::make_shared<const Request>(FromBeast(breq, target_ok));
    Response resp;
    std::string route = "(malformed)";
    if (!target_ok) {
      resp = ErrorResponse(400, "malformed request target");
    } else {
      HandlerResult hr = co_await Handle(impl, req, route);
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
      impl->options.on_response(req->method, route, resp.status, took.count());
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
  for (int i = 1; i < impl_->options.threads; ++i) {
    extra.emplace_back([this] {
      NameThisThread("noj-io");
      impl_->ioc.run();
    });
  }
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
