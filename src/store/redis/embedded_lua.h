#pragma once
// The Lua scripts of src/store/redis/lua/, embedded at build time (embed_lua.cmake generates the
// definition). Names are file stems: "lib", "claim", "complete", ...

#include <cstddef>
#include <string_view>

namespace noj::store::redis {

struct EmbeddedLua {
  std::string_view name;
  std::string_view source;
};

extern const EmbeddedLua kEmbeddedLua[];
extern const size_t kEmbeddedLuaCount;

}  // namespace noj::store::redis
