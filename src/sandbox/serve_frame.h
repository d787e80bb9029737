#pragma once
// The warm box's wire (noj-sandbox --serve): the caller writes one request frame per run on the
// helper's stdin and reads the run's result line (run_result.h) on its stdout before sending the
// next. A frame carries the one-shot command line (BuildCommandLine) with lengths, so any byte
// but NUL can appear in an argument:
//
//   noj-run <count>\n  then <count> times  <length>:<bytes>\n
//
// Closing stdin ends the helper (after it tore its box down).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace noj::sandbox {

inline constexpr size_t kMaxServeFrameBytes = 4 << 20;
inline constexpr size_t kMaxServeFrameArgs = 65536;

std::string EncodeServeFrame(const std::vector<std::string>& args);

// Incremental: Feed() what was read, then Next() until it says it needs more bytes.
class ServeFrameDecoder {
 public:
  void Feed(std::string_view bytes) { buffer_.append(bytes); }
  // A whole frame's arguments; nullopt: incomplete so far; kInvalidArgument: not a frame (the
  // stream cannot be resynchronised after that: the caller stops reading it).
  std::optional<Result<std::vector<std::string>>> Next();
  size_t buffered() const { return buffer_.size(); }

 private:
  std::string buffer_;
};

}  // namespace noj::sandbox
