// The client API's problems (protocol.md §5, src/server/api/problems_api.cc).
// Input: one raw HTTP/1.1 request (see fuzz/corpus/fuzz_http_problems_api/); a path outside the
// area is steered onto one of its routes. Invariants: fuzz/support/server_harness.h.

#include <cstddef>
#include <cstdint>

#include "support/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const noj::fuzz::Area kArea{{"/problems", "/problems/{pid}", "/problems/{pid}/testdata"}};
  return noj::fuzz::RunHttpInput(kArea, data, size);
}
