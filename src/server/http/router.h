#pragma once
// Maps (method, path pattern) to handlers. Patterns are segment lists where "{x}" binds a segment.
// Unknown path → 404, known path with another method → 405; both with the error envelope.

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

class Router {
 public:
  // `pattern` like "/runners/{rn}/jobs/{jb}/complete".
  void Add(std::string method, const std::string& pattern, Handler handler);

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
