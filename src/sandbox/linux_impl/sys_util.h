#pragma once
// Small syscall helpers turning errno into Status, for the supervisor (never after clone).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {

// `what: strerror(err)` with a code chosen by errno (EPERM/EACCES -> kPermissionDenied,
// ENOENT -> kNotFound, otherwise kUnavailable).
Status ErrnoStatus(std::string what, int err);

// pipe2(O_CLOEXEC) into the two owners.
Status MakePipe(UniqueFd& read_end, UniqueFd& write_end);

Result<UniqueFd> OpenAt(int dirfd, const std::string& path, int flags, int mode = 0);

// Writes `content` with one write() (cgroup files want a single write).
Status WriteFileAt(int dirfd, const std::string& path, std::string_view content);
Result<std::string> ReadFileAt(int dirfd, const std::string& path);

// Reads the whole content of an already open file from offset 0 (cgroup stat files).
Result<std::string> PreadAll(int fd);

// "key value" lines (cpu.stat, memory.events, memory.oom_control): value of `key`.
std::optional<int64_t> FindKeyedValue(std::string_view text, std::string_view key);

// Leading decimal integer of `text` ("max" and garbage -> nullopt).
std::optional<int64_t> ParseInt(std::string_view text);

int64_t MonotonicNowNs();

// The names in the directory `dir_fd` (an O_PATH fd will do), without "." and "..".
Result<std::vector<std::string>> ListDirAt(int dir_fd);

}  // namespace noj::sandbox::linux_impl
