#pragma once
// Beast's parsed request → our Request: header names lower-cased (the last of repeated headers
// wins), the target split into percent-decoded segments and query. Shared by the server and the
// fuzz harness, so both see requests exactly alike.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http/message.h"

namespace noj::server {

// `target_ok` is false when the target is malformed (bad percent-encoding, a NUL byte).
Request FromBeast(const boost::beast::http::request<boost::beast::http::string_body>& req,
                  bool& target_ok);

}  // namespace noj::server
