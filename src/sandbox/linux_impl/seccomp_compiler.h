#pragma once
// Compiles the box's seccomp filter (the rules are documented in seccomp_filter.h) with
// libseccomp. Used at build time by noj_seccomp_bpf_gen, and by tests to check that the
// embedded program is current.

#include <linux/filter.h>

#include <vector>

#include "common/status.h"

namespace noj::sandbox::linux_impl {

Result<std::vector<sock_filter>> CompileSeccompFilter();

}  // namespace noj::sandbox::linux_impl
