#pragma once
// Landlock scoping (ABI >= 6, Linux 6.12): a program in the box can neither connect to
// abstract unix sockets created outside its Landlock domain nor signal processes outside it.
// Defence in depth: every box has its own net namespace anyway (a shared one was not safe even
// with scoping, which stops connect() but not socket names: docs/sandbox.md).
//
// Ruleset created by the supervisor; restrict_self() called by the program after
// PR_SET_NO_NEW_PRIVS.

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {

// Landlock ABI version of the running kernel, 0 when unavailable.
int LandlockAbiVersion();

// REQUIRES: LandlockAbiVersion() >= 6.
Result<UniqueFd> CreateScopeRuleset();

// Async-signal-safe: confines the calling thread. Returns 0 or an errno value.
int RestrictSelf(int ruleset_fd);

}  // namespace noj::sandbox::linux_impl
