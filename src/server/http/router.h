#pragma once
// Maps (method, path pattern) to handlers. Patterns are segment lists where "{x}" binds a segment.
// Unknown path → 404, known path with another method → 405; both with the error envelope.
//
// Each route says where its handler runs: on the store executor with a deadline (the default:
// handlers call the store, which may stall), or inline on the I/O thread for the few that never
// touch the store. The HTTP server reads this with Find(); Dispatch() runs everything in place
// (the fuzz harness and tests).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "server/http/message.h"

namespace noj::server {

struct PathParams {
  std::vector<std::string> values;  // bound segments, in pattern order
  const std::string& operator[](size_t i) const { return values[i]; }
};

using Handler = std::function<HandlerResult(const Request&, const PathParams&)>;

enum class RouteKind {
  kStore,   // on the store executor, answered 503 at the store deadline (or by `fallback`)
  kInline,  // on the I/O thread: the handler never calls the store (health, static files)
};

struct RouteOptions {
  RouteKind kind = RouteKind::kStore;
  // kStore: this route's deadline when shorter than the server's store deadline (0: the server's).
  int64_t deadline_ms = 0;
  // kStore: answers inline, instead of the 503, when the store work could not be queued or missed
  // its deadline. Must not call the store.
  Handler fallback;
};

class Router {
 public:
  // `pattern` like "/runners/{rn}/jobs/{jb}/complete".
  void Add(std::string method, const std::string& pattern, Handler handler,
           RouteOptions options = {});

  // What a request maps to, without running anything. `handler` is null when no route takes it:
  // `refusal` then holds the 404 or 405 envelope. Pointers stay valid while the router lives
  // (routes are added before serving).
  struct Match {
    const std::string* route = nullptr;  // the pattern, or "(unmatched)"
    const Handler* handler = nullptr;
    const RouteOptions* options = nullptr;
    PathParams params;
    Response refusal;
  };
  Match Find(const Request& request) const;

  // Runs a handler; one that throws gets a 500 envelope (and a log line).
  static HandlerResult Invoke(const Handler& handler, const Request& request,
                              const PathParams& params);

  // Never throws: a handler that throws gets a 500 envelope (and a log line). `route`, when given,
  // receives the matched pattern ("/runners/{rn}/next-job"), or "(unmatched)": a bounded label
  // for per-route metrics, whatever the path.
  HandlerResult Dispatch(const Request& request, std::string* route = nullptr) const;

 private:
  struct Route {
    std::string method;
    std::string name;  // the pattern as written
    std::vector<std::string> pattern;
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
};

// "/runners/{rn}/next-job" → {"runners", "{rn}", "next-job"} (empty segments dropped).
std::vector<std::string> SplitPattern(const std::string& pattern);

// Splits "/a/b%2Fc?x=1&y=%20" into decoded segments and query. Returns false on malformed
// percent-encoding or a NUL byte anywhere.
bool ParseTarget(const std::string& target, std::vector<std::string>& segments,
                 std::map<std::string, std::string>& query);

}  // namespace noj::server
