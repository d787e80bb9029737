#include "sandbox/serve_frame.h"

#include <charconv>

namespace noj::sandbox {
namespace {

constexpr std::string_view kMagic = "noj-run ";

// A decimal number ending at `end` (exclusive) within [pos, end); nullopt when malformed.
std::optional<size_t> Number(std::string_view text) {
  size_t v = 0;
  if (text.empty() || text.size() > 10) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

Status Malformed(const std::string& why) {
  return Status(ErrorCode::kInvalidArgument, "malformed request frame: " + why);
}

}  // namespace

std::string EncodeServeFrame(const std::vector<std::string>& args) {
  std::string out = std::string(kMagic) + std::to_string(args.size()) + "\n";
  for (const std::string& a : args) out += std::to_string(a.size()) + ":" + a + "\n";
  return out;
}

std::optional<Result<std::vector<std::string>>> ServeFrameDecoder::Next() {
  std::string_view in = buffer_;
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) {
    if (in.size() > 32) return Result<std::vector<std::string>>(Malformed("no header"));
    return std::nullopt;
  }
  if (!in.starts_with(kMagic)) return Result<std::vector<std::string>>(Malformed("bad header"));
  std::optional<size_t> count = Number(in.substr(kMagic.size(), nl - kMagic.size()));
  if (!count || *count > kMaxServeFrameArgs) {
    return Result<std::vector<std::string>>(Malformed("bad argument count"));
  }
  std::vector<std::string> args;
  size_t pos = nl + 1;
  for (size_t i = 0; i < *count; ++i) {
    size_t colon = in.find(':', pos);
    if (colon == std::string_view::npos) {
      if (in.size() - pos > 12) return Result<std::vector<std::string>>(Malformed("bad length"));
      return std::nullopt;
    }
    std::optional<size_t> len = Number(in.substr(pos, colon - pos));
    if (!len || *len > kMaxServeFrameBytes) {
      return Result<std::vector<std::string>>(Malformed("bad length"));
    }
    if (in.size() < colon + 1 + *len + 1) {
      if (in.size() > kMaxServeFrameBytes) {
        return Result<std::vector<std::string>>(Malformed("larger than the limit"));
      }
      return std::nullopt;
    }
    if (in[colon + 1 + *len] != '\n') {
      return Result<std::vector<std::string>>(Malformed("argument not ended by a newline"));
    }
    args.emplace_back(in.substr(colon + 1, *len));
    pos = colon + 1 + *len + 1;
  }
  buffer_.erase(0, pos);
  return Result<std::vector<std::string>>(std::move(args));
}

}  // namespace noj::sandbox
