#include "api/envelope.h"

#include "common/json_util.h"

namespace noj::api {

bj::object ErrorEnvelope(std::string_view message, bj::value data) {
  bj::object o;
  o["status"] = "err";
  o["message"] = message;
  o["data"] = std::move(data);
  return o;
}

bj::object RunnerEnvelope(const bj::object& fields) {
  bj::object o = fields;
  o["status"] = "ok";
  o["message"] = "";
  o["data"] = fields;
  return o;
}

const bj::value* EnvelopeField(const bj::object& body, std::string_view snake) {
  const bj::value* v = json::Find(body, snake);
  if (v != nullptr && !v->is_null()) return v;
  auto it = body.find("data");
  if (it == body.end() || !it->value().is_object()) return nullptr;
  v = json::Find(it->value().as_object(), snake);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

const bj::object& EnvelopePayload(const bj::object& body, std::string_view probe) {
  if (json::Find(body, probe) != nullptr) return body;
  auto it = body.find("data");
  if (it != body.end() && it->value().is_object()) return it->value().as_object();
  return body;
}

std::string ErrorEnvelopeMessage(std::string_view body) {
  auto parsed = json::ParseObject(body);
  if (parsed.ok()) {
    auto it = parsed->find("message");
    if (it != parsed->end() && it->value().is_string()) return std::string(it->value().as_string());
  }
  constexpr size_t kMax = 200;
  std::string out(body.substr(0, kMax));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return out;
}

}  // namespace noj::api
