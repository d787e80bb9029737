#pragma once
// The server side of the HTTP fuzz targets: a real server (server::Assemble, the factory nojd
// uses) on an in-memory SQLite store seeded with a problem with testdata, one without,
// two runners, a leased job, a judged submission and a pending one, so that fuzzed requests reach
// the handlers' deep paths. Each input is parsed by Beast's request parser (as the server parses),
// dispatched, and the response checked against what must hold for ANY input; a violation aborts
// with a description (libFuzzer then saves the input as a crash).
//
// Secrets and ids are fixed so that the seed corpus and dictionaries can use them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace noj::fuzz {

inline constexpr char kApiToken[] = "fuzz-api-token-0123456789";
inline constexpr char kRegistrationToken[] = "fuzz-registration-token-0123456789";
inline constexpr char kSandboxToken[] = "fuzz-sandbox-token-0123456789";
inline constexpr char kCodeUrlKey[] = "fuzz-code-url-key-0123456789";
// rk_ + 43 url-safe characters, like ids::NewRunnerToken().
inline constexpr char kRunnerToken[] = "rk_FuzzRunnerToken0000000000000000000000000001";
inline constexpr char kOtherRunnerToken[] = "rk_FuzzRunnerToken0000000000000000000000000002";
inline constexpr char kRunnerId[] = "rn_01KA0000000000000000000001";
inline constexpr char kOtherRunnerId[] = "rn_01KA0000000000000000000002";
inline constexpr char kLeasedSubmission[] =
    "sn_01KA0000000000000000000011";  // job leased to kRunnerId
inline constexpr char kLeasedJob[] = "jb_01KA0000000000000000000011";
inline constexpr char kJudgedSubmission[] = "sn_01KA0000000000000000000012";  // landed, AC
inline constexpr char kJudgedJob[] = "jb_01KA0000000000000000000012";
inline constexpr char kPendingSubmission[] = "sn_01KA0000000000000000000013";  // queued
inline constexpr char kPendingJob[] = "jb_01KA0000000000000000000013";
inline constexpr int64_t kProblemId = 1;          // two tasks (40: 1 case, 60: 2 cases), testdata
inline constexpr int64_t kBareProblemId = 2;      // one task, no testdata
inline constexpr int64_t kNowMs = 1767225600000;  // the fixed clock: 2026-01-01T00:00:00Z
// A code link for kJudgedSubmission valid at kNowMs (the seed corpus uses it).
std::string ValidCodeLinkTarget();

// An area of the API: route patterns ("/runners/{rn}/heartbeat"), whatever the method.
struct Area {
  std::vector<std::string> patterns;
};

// Parses, dispatches and checks one input (always returns 0, as libFuzzer wants). A request whose
// path is outside `area` is steered onto one of the area's routes (see KeepInArea), so each target
// spends its time in its own handlers.
int RunHttpInput(const Area& area, const uint8_t* data, size_t size);

}  // namespace noj::fuzz
