#pragma once
// Response builders: the error envelope, the runner envelope (fields at the top level and again
// under `data`), plain client JSON, and the one Status → HTTP mapping.

#include <boost/json.hpp>
#include <string>

#include "common/status.h"
#include "server/http/message.h"

namespace noj::server {

// {"status":"err","message":…,"data":null|detail}
Response ErrorResponse(int http_status, const std::string& message,
                       boost::json::value data = nullptr);

// The one mapping from our error codes to HTTP (style.md).
int HttpStatusFor(ErrorCode code);
Response ErrorResponse(const Status& status);

// Runner-API success: fields, then "status":"ok","message":"","data":{fields}.
Response RunnerOk(int http_status, const boost::json::object& fields);

// 204/202 with an empty body.
Response Empty(int http_status);

// Client-API success: the object as is.
Response JsonOk(int http_status, const boost::json::value& body);

}  // namespace noj::server
