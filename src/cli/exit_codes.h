#pragma once
// nojctl's exit codes, the same for every command (shown by `nojctl --help`).

namespace noj::cli {

inline constexpr int kExitOk = 0;           // done; with --wait: the verdict is AC
inline constexpr int kExitNotAccepted = 1;  // with --wait: judged, not AC (or still pending)
inline constexpr int kExitUsage = 2;        // bad flags, unreadable file, no token
inline constexpr int kExitRefused = 3;      // the server answered with an error
inline constexpr int kExitUnreachable = 4;  // the server could not be reached

}  // namespace noj::cli
