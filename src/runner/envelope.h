#pragma once
// Reading server replies that may carry their fields at the top level, under `data`, or both
// (protocol.md §1; Normal-OJ wraps payloads in `data`): top level first, then `data`.

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace noj::runner {

namespace bj = boost::json;

// `snake` (or its camelCase spelling) at the top level of `body`, else inside `body["data"]` when
// that is an object; nullptr if absent in both (null counts as absent).
const bj::value* FindField(const bj::object& body, std::string_view snake);

// The object to decode a payload from: `body` itself when it has `probe` at the top level, else
// `body["data"]` when that is an object, else `body`.
const bj::object& PayloadObject(const bj::object& body, std::string_view probe);

// The `message` of an error body, or a prefix of the raw body when it is not the JSON envelope.
std::string ErrorMessage(std::string_view body);

}  // namespace noj::runner
