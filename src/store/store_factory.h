#pragma once
// Picks the Store implementation from a URL: "sqlite:PATH" (or ":memory:") or
// "redis://HOST:PORT/DB".

#include <memory>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace noj::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace noj::store
