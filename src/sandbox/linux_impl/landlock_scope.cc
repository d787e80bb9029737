#include "sandbox/linux_impl/landlock_scope.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

// Debian 12's uapi headers predate the `scoped` field: declared here as in Linux 6.12.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};
constexpr uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
constexpr uint64_t kScopeSignal = 1ULL << 1;
constexpr unsigned kCreateRulesetVersion = 1U << 0;

}  // namespace

int LandlockAbiVersion() {
  long v = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  return v < 0 ? 0 : static_cast<int>(v);
}

Result<UniqueFd> CreateScopeRuleset() {
  RulesetAttr attr{0, 0, kScopeAbstractUnixSocket | kScopeSignal};
  long fd = ::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (fd < 0) return ErrnoStatus("landlock_create_ruleset", errno);
  return UniqueFd(static_cast<int>(fd));
}

int RestrictSelf(int ruleset_fd) {
  if (::syscall(SYS_landlock_restrict_self, ruleset_fd, 0) == 0) return 0;
  return errno;
}

}  // namespace noj::sandbox::linux_impl
