#pragma once
// Earlier versions kept one persistent empty net namespace, bind-mounted at
// kSharedNetnsPath, that every box joined. Boxes sharing it could pass data through socket
// names (docs/sandbox.md), so every box now gets a namespace of its own; --cleanup still
// removes the old mount an upgraded host may hold.

#include "common/status.h"

namespace noj::sandbox::linux_impl {

// Unmounts and deletes kSharedNetnsPath if present.
Status RemoveSharedNetns();

}  // namespace noj::sandbox::linux_impl
