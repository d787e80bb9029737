// The client API's operations (protocol.md §5, src/server/api/admin_api.cc): runners, revoke,
// queue, healthz. Input: one raw HTTP/1.1 request (see fuzz/corpus/fuzz_http_admin_api/); a path
// outside the area is steered onto one of its routes. Invariants: fuzz/support/server_harness.h.

#include <cstddef>
#include <cstdint>

#include "support/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const noj::fuzz::Area kArea{
      {"/runners", "/runners/{rn}", "/queue", "/healthz", "/metrics"}};
  return noj::fuzz::RunHttpInput(kArea, data, size);
}
