#pragma once
// Records the box's init and program send to the supervisor over one O_CLOEXEC pipe. Each is
// written with a single write() (< PIPE_BUF, so never interleaved).

#include <cstdint>

namespace noj::sandbox::linux_impl {

// Where a setup failure happened, for the SE message.
enum class SetupStep : int32_t {
  kNone = 0,
  kLifeline,
  kHostname,
  kMount,
  kFork,
  kJoinCgroup,
  kSignals,
  kRlimit,
  kStdio,
  kCloseFds,
  kChdir,
  kGroups,
  kSetgid,
  kSetuid,
  kNoNewPrivs,
  kLandlock,
  kSeccomp,
  kExec,
  kWarmRoot,  // a warm box's init entering the shared root (setns, unshare)
  kWarmProc,  // ... mounting the case's /proc
  kWarmGo,    // ... receiving the case (the go message)
};

const char* SetupStepName(SetupStep step);

struct BoxReport {
  static constexpr uint32_t kMagic = 0x6e6f6a31;  // "noj1"
  enum class Kind : uint32_t { kSetupFailed = 1, kFinished = 2 };

  uint32_t magic = kMagic;
  Kind kind = Kind::kFinished;
  // kSetupFailed
  SetupStep step = SetupStep::kNone;
  int32_t err = 0;          // errno
  int64_t step_index = -1;  // mount plan step, for kMount
  // kFinished: the program (the init's direct child) as wait4 saw it
  int32_t wait_status = 0;
  int64_t wall_ns = 0;  // fork of the program to its exit
  int64_t user_us = 0;  // the program and the descendants it waited for
  int64_t system_us = 0;
  int64_t maxrss_kib = 0;  // largest single process
};

}  // namespace noj::sandbox::linux_impl
