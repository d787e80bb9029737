#pragma once
// The kernel floor: the oldest kernel the sandbox supports is Linux 6.12 (Landlock scoping,
// ABI 6, is the newest thing it uses). Each kernel feature the confinement calls is listed here
// with what needs it and the release that brought it, and probed by a real syscall with harmless
// arguments (ENOSYS, or the errno an older kernel gives, tells it is missing). `noj-sandbox
// --probe` refuses a host below the floor naming every missing feature, so noj-runner refuses
// to start instead of failing each job (docs/sandbox.md, "Kernel floor").
//
// Thread safety: the pure functions are; ProbeKernelFloor() only makes syscalls and may be
// called from any thread.

#include <array>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::sandbox::linux_impl {

enum class FloorFeature : int {
  kSeccompSpecAllow,
  kPidfdSendSignal,
  kMountApi,
  kClone3,
  kWaitidPidfd,
  kOpenat2,
  kCloneIntoCgroup,
  kCloseRange,
  kCgroupKill,
  kLandlockScope,
};
inline constexpr int kFloorFeatureCount = 10;

// The floor itself: the newest `since` of the table.
inline constexpr char kFloorRelease[] = "6.12";

struct FloorFeatureInfo {
  FloorFeature feature;
  const char* name;       // as messages name it: "close_range"
  const char* since;      // the Linux release that brought it: "5.9"
  const char* needed_by;  // what in the sandbox calls it
};

// Every feature, in the order of FloorFeature (ascending `since`, the docs' table order).
const std::array<FloorFeatureInfo, kFloorFeatureCount>& FloorFeatures();

// What the probes answered.
struct FloorAnswers {
  std::string release;                             // uname -r
  std::array<bool, kFloorFeatureCount> present{};  // indexed by FloorFeature
};

// Pure: "close_range (Linux 5.9+)" for each missing feature, in table order; empty when none.
std::vector<std::string> MissingFloorFeatures(const FloorAnswers& answers);

// Pure: OK, or kFailedPrecondition "kernel floor not met (running 5.10.0): missing close_range
// (Linux 5.9+), Landlock scope (Linux 6.12+)".
Status CheckKernelFloor(const FloorAnswers& answers);

// Pure: the `kernel: …` line of --probe, printed whether the floor is met or not.
std::string KernelFloorLine(const FloorAnswers& answers);

// Pure: whether a `uname -r` release ("6.18.44-fc-v1045") is at least "major.minor";
// false when it does not parse.
bool ReleaseAtLeast(const std::string& release, const std::string& major_minor);

// The real probes: a dozen syscalls, the cgroup layout and, when this process sits in the root
// of the unified hierarchy, a throwaway child cgroup to look for cgroup.kill (~0.25 ms here,
// half of it that cgroup's mkdir/rmdir).
FloorAnswers ProbeKernelFloor();

}  // namespace noj::sandbox::linux_impl
