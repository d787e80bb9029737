#pragma once
// The registry of Lua scripts: one per transition (and per multi-key read), each the generated
// constants (LuaConstants), the shared lib.lua and its own file, with its SHA-1 (the name EVALSHA
// calls it by).

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
  kLeaseDeliveries,
  kFinishDeliveries,
  kRedeliver,
  kListDeliveries,
  kDeliveryStats,
  kCount,  // not a script
};

struct Script {
  std::string_view name;  // file stem, e.g. "claim"
  std::string source;     // LuaConstants() + lib.lua + the script
  std::string sha1;       // lowercase hex of source
};

using Scripts = std::array<Script, static_cast<size_t>(ScriptId::kCount)>;

// Every script, indexed by ScriptId. kInternal if one is missing from the embedded set.
Result<Scripts> LoadScripts();

// The Lua prelude of every script: `local NAME = 'value'` lines for the values the scripts share
// with the C++ side (the submission status codes of api::Verdict), built from the C++ constants
// so the two cannot drift apart.
std::string LuaConstants();

}  // namespace noj::store::redis
