#include "store/redis/scripts.h"

#include <openssl/evp.h>

#include <cstdio>

#include "api/limits.h"
#include "api/verdict.h"
#include "store/redis/embedded_lua.h"

namespace noj::store::redis {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(ScriptId::kCount)> kNames = {
    "create_problem",
    "put_testdata",
    "get_testdata",
    "register_runner",
    "heartbeat",
    "revoke_runner",
    "forget_runners",
    "list_runners",
    "runner_by_token",
    "enqueue",
    "claim",
    "complete",
    "abort",
    "reap",
    "rejudge",
    "get_submission",
    "list_submissions",
    "get_code",
    "queue_stats",
    "upgrade_layout",
    "update_problem",
    "rejudge_problem",
    "lease_deliveries",
    "finish_deliveries",
    "redeliver",
    "list_deliveries",
    "delivery_stats",
};

const EmbeddedLua* Find(std::string_view name) {
  for (size_t i = 0; i < kEmbeddedLuaCount; ++i) {
    if (kEmbeddedLua[i].name == name) return &kEmbeddedLua[i];
  }
  return nullptr;
}

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha1(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

std::string LuaString(std::string_view name, int value) {
  return "local " + std::string(name) + " = '" + std::to_string(value) + "'\n";
}
std::string LuaNumber(std::string_view name, int value) {
  return "local " + std::string(name) + " = " + std::to_string(value) + "\n";
}

}  // namespace

std::string LuaConstants() {
  return "-- Generated from the C++ constants by scripts.cc (LuaConstants).\n" +
         LuaString("STATUS_PENDING", api::VerdictCode(api::Verdict::kPending)) +
         LuaString("STATUS_JE", api::VerdictCode(api::Verdict::kJE)) +
         LuaNumber("PRIORITY_MIN", api::kMinPriority) +
         LuaNumber("PRIORITY_MAX", api::kMaxPriority);
}

Result<Scripts> LoadScripts() {
  const EmbeddedLua* lib = Find("lib");
  if (lib == nullptr) return InternalError("redis store: lib.lua is not embedded");
  const std::string prelude = LuaConstants() + std::string(lib->source) + "\n";
  Scripts scripts;
  for (size_t i = 0; i < kNames.size(); ++i) {
    const EmbeddedLua* body = Find(kNames[i]);
    if (body == nullptr) {
      return InternalError("redis store: " + std::string(kNames[i]) + ".lua is not embedded");
    }
    Script& s = scripts[i];
    s.name = kNames[i];
    s.source = prelude + std::string(body->source);
    s.sha1 = Sha1Hex(s.source);
  }
  return scripts;
}

}  // namespace noj::store::redis
