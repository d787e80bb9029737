#pragma once
// The registry of Lua scripts: one per transition (and per multi-key read), each the shared
// lib.lua followed by its own file, with its SHA-1 (the name EVALSHA calls it by).

#include <array>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::store::redis {

enum class ScriptId {
  kCreateProblem,
  kPutTestdata,
  kGetTestdata,
  kRegisterRunner,
  kHeartbeat,
  kRevokeRunner,
  kForgetRunners,
  kListRunners,
  kRunnerByToken,
  kEnqueue,
  kClaim,
  kComplete,
  kAbort,
  kReap,
  kRejudge,
  kGetSubmission,
  kListSubmissions,
  kGetCode,
  kQueueStats,
  kUpgradeLayout,
  kUpdateProblem,
  kRejudgeProblem,
  kCount,  // not a script
};

struct Script {
  std::string_view name;  // file stem, e.g. "claim"
  std::string source;     // lib.lua + the script
  std::string sha1;       // lowercase hex of source
};

using Scripts = std::array<Script, static_cast<size_t>(ScriptId::kCount)>;

// Every script, indexed by ScriptId. kInternal if one is missing from the embedded set.
Result<Scripts> LoadScripts();

}  // namespace noj::store::redis
