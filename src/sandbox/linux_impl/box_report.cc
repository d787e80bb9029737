#include "sandbox/linux_impl/box_report.h"

namespace noj::sandbox::linux_impl {

const char* SetupStepName(SetupStep step) {
  switch (step) {
    case SetupStep::kNone:
      return "none";
    case SetupStep::kLifeline:
      return "supervisor gone";
    case SetupStep::kHostname:
      return "sethostname";
    case SetupStep::kMount:
      return "mount";
    case SetupStep::kFork:
      return "fork";
    case SetupStep::kJoinCgroup:
      return "join cgroup";
    case SetupStep::kSignals:
      return "signal mask";
    case SetupStep::kRlimit:
      return "setrlimit";
    case SetupStep::kStdio:
      return "stdio redirection";
    case SetupStep::kCloseFds:
      return "close fds";
    case SetupStep::kChdir:
      return "chdir /box";
    case SetupStep::kGroups:
      return "setgroups";
    case SetupStep::kSetgid:
      return "setgid";
    case SetupStep::kSetuid:
      return "setuid";
    case SetupStep::kNoNewPrivs:
      return "no_new_privs";
    case SetupStep::kLandlock:
      return "landlock";
    case SetupStep::kSeccomp:
      return "seccomp";
    case SetupStep::kExec:
      return "execve";
    case SetupStep::kWarmRoot:
      return "entering the warm box root";
    case SetupStep::kWarmProc:
      return "mounting /proc";
    case SetupStep::kWarmGo:
      return "receiving the case";
  }
  return "unknown";
}

}  // namespace noj::sandbox::linux_impl
