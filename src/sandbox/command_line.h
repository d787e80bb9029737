#pragma once
// The noj-sandbox command line, both directions: parsing (the helper) and building (callers
// such as noj-runner, so both sides agree on the flags).
//
//   noj-sandbox --box-dir DIR --box-id N [--cpu-ms MS] [--wall-ms MS] [--memory-kib KIB]
//               [--output-limit BYTES] [--max-processes N] [--tmp-kib KIB] [--open-files N]
//               [--stdin FILE | --stdin-fd N] [--stdout FILE | --stdout-fd N] [--stderr FILE]
//               [--scratch [--box-kib KIB] [--collect DIR] | --box-readonly] [--inodes N]
//               [--ro-bind SRC:DST ...]
//               [--env K=V ...] [--require LIST] [--insecure] [--netns shared|new]
//               [--cgroup-parent PATH] -- PROGRAM ARGS...
//   noj-sandbox --probe [--require LIST] [--insecure]
//   noj-sandbox --cleanup [--cgroup-parent PATH]
//   noj-sandbox --serve --box-id N   # warm box: one request frame in, one result line out,
//                                    # until EOF (serve_frame.h, docs/sandbox.md "Warm boxes")

#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/run_request.h"

namespace noj::sandbox {

enum class Mode {
  kRun,      // run request.argv in a box
  kProbe,    // print the protections line and exit
  kCleanup,  // remove cgroups of SIGKILLed supervisors (and an old shared net namespace)
  kServe,    // a warm box for request.box_id: run request frames read on stdin, one by one
  kHelp,     // print help_text
};

struct CommandLine {
  Mode mode = Mode::kRun;
  RunRequest request;
  std::string help_text;
};

// args excludes argv[0]. kInvalidArgument with a message fit for the operator.
Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

// The arguments (excluding argv[0]) that make ParseCommandLine return `request` in kRun mode.
std::vector<std::string> BuildCommandLine(const RunRequest& request);

}  // namespace noj::sandbox
