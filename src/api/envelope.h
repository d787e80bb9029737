#pragma once
// The two envelopes of protocol.md §1. Every error is {"status":"err","message":…,"data":…}; a
// runner-API success carries its fields at the top level and again under `data`, with
// "status":"ok","message":"" between them. Readers accept either place (Normal-OJ wraps payloads
// in `data`, Normal-OJ's newer runner reads the top level): top level first, then `data`.

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace noj::api {

namespace bj = boost::json;

// {"status":"err","message":message,"data":data}
bj::object ErrorEnvelope(std::string_view message, bj::value data = nullptr);

// fields…, "status":"ok", "message":"", "data":{fields…}
bj::object RunnerEnvelope(const bj::object& fields);

// `snake` (or its camelCase spelling) at the top level of `body`, else inside `body["data"]` when
// that is an object; nullptr if absent in both (null counts as absent).
const bj::value* EnvelopeField(const bj::object& body, std::string_view snake);

// The object to decode a payload from: `body` itself when it has `probe` at the top level, else
// `body["data"]` when that is an object, else `body`.
const bj::object& EnvelopePayload(const bj::object& body, std::string_view probe);

// The `message` of an error body, or a prefix of the raw body (control characters blanked) when
// it is not the JSON envelope.
std::string ErrorEnvelopeMessage(std::string_view body);

}  // namespace noj::api
