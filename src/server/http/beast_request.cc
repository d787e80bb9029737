#include "server/http/beast_request.h"

#include <cctype>

#include "server/http/router.h"

namespace noj::server {

Request FromBeast(const boost::beast::http::request<boost::beast::http::string_body>& req,
                  bool& target_ok) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  target_ok = ParseTarget(r.target, r.segments, r.query);
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(field.value());
  }
  r.body = req.body();
  return r;
}

}  // namespace noj::server
