#include "sandbox/limits.h"

#include <algorithm>
#include <string>

namespace noj::sandbox {
namespace {

Status CheckRange(const char* name, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    return Status(ErrorCode::kInvalidArgument, std::string(name) + " must be in [" +
                                                   std::to_string(lo) + ", " + std::to_string(hi) +
                                                   "], got " + std::to_string(value));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateLimits(const Limits& l) {
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  NOJ_RETURN_IF_ERROR(CheckRange("cpu-ms", l.cpu_ms, 1, kDay));
  NOJ_RETURN_IF_ERROR(CheckRange("wall-ms", l.wall_ms, 0, kDay));
  // Below a few MiB not even the dynamic loader fits; 1 TiB is beyond any judge host.
  NOJ_RETURN_IF_ERROR(CheckRange("memory-kib", l.memory_kib, 4096, 1LL << 30));
  NOJ_RETURN_IF_ERROR(CheckRange("output-limit", l.output_bytes, 0, 1LL << 40));
  NOJ_RETURN_IF_ERROR(CheckRange("max-processes", l.max_processes, 1, 1 << 16));
  NOJ_RETURN_IF_ERROR(CheckRange("tmp-kib", l.tmp_kib, 0, 1LL << 30));
  NOJ_RETURN_IF_ERROR(CheckRange("box-kib", l.box_kib, 0, 1LL << 30));
  NOJ_RETURN_IF_ERROR(CheckRange("inodes", l.inodes, 16, 1 << 20));
  NOJ_RETURN_IF_ERROR(CheckRange("open-files", l.open_files, 4, 1 << 16));
  return Status::Ok();
}

int64_t EffectiveWallMs(const Limits& l) {
  if (l.wall_ms > 0) return l.wall_ms;
  return std::max(2 * l.cpu_ms, l.cpu_ms + 1000);
}

int64_t EffectiveTmpKib(const Limits& l) { return l.tmp_kib > 0 ? l.tmp_kib : l.memory_kib; }

int64_t EffectiveBoxKib(const Limits& l) {
  return l.box_kib > 0 ? l.box_kib : std::max<int64_t>(1024, l.output_bytes / 1024);
}

}  // namespace noj::sandbox
