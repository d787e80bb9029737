// Testdata and code links for runners (protocol.md §2.6, src/server/api/testdata_api.cc).
// Input: one raw HTTP/1.1 request (see fuzz/corpus/fuzz_http_testdata_api/); a path outside the
// area is steered onto one of its routes. Invariants: fuzz/support/server_harness.h.

#include <cstddef>
#include <cstdint>

#include "support/server_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const noj::fuzz::Area kArea{
      {"/problem/{pid}/testdata", "/problem/{pid}/meta", "/problem/{pid}/checksum", "/code/{sid}"}};
  return noj::fuzz::RunHttpInput(kArea, data, size);
}
