// The runner API (protocol.md §2.1-2.5, src/server/api/runner_routes.cc) through the router.
// Input: one raw HTTP/1.1 request (see fuzz/corpus/fuzz_http_runner_api/); a path outside the area
// is steered onto one of its routes. Invariants: fuzz/support/server_harness.h.

#include <cstddef>
#include <cstdint>

#include "support/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const noj::fuzz::Area kArea{{"/runners/register", "/runners/{rn}/heartbeat",
                                      "/runners/{rn}/next-job", "/runners/{rn}/jobs/{jb}/complete",
                                      "/runners/{rn}/jobs/{jb}/abort"}};
  return noj::fuzz::RunHttpInput(kArea, data, size);
}
