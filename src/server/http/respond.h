#pragma once
// Response builders: the error envelope and the runner envelope (api/envelope.h), plain client
// JSON, and error Statuses as HTTP (api/http_status.h).

#include <boost/json.hpp>
#include <string>

#include "common/status.h"
#include "server/http/message.h"

namespace noj::server {

// {"status":"err","message":…,"data":null|detail}
Response ErrorResponse(int http_status, const std::string& message,
                       boost::json::value data = nullptr);

// The error envelope with the status api::HttpStatusFor gives the code (the one mapping,
// style.md); a 500 hides its detail (it stays in the log).
Response ErrorResponse(const Status& status);

// Runner-API success: fields, then "status":"ok","message":"","data":{fields}.
Response RunnerOk(int http_status, const boost::json::object& fields);

// 204/202 with an empty body.
Response Empty(int http_status);

// Client-API success: the object as is.
Response JsonOk(int http_status, const boost::json::value& body);

}  // namespace noj::server
