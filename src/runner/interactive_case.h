#pragma once
// One case of an interactive problem (judging.md §4): the contestant's program and the problem's
// interactor run at the same time in two boxes joined only by two pipes; then §4's precedence
// decides the case: the program's TLE, MLE or OLE first; then the interactor's WA (a program killed
// by a broken pipe after the interactor gave up is WA, not RE); then the program's RE; then the
// interactor's verdict (0 AC, 1/2/8 WA, 7 points, 3 and anything else JE). When both wait on each
// other the program's wall limit ends the case: TLE (idleness).

#include <cstddef>
#include <stop_token>

#include "api/results.h"
#include "runner/case_executor.h"

namespace noj::runner {

struct InteractiveCaseSpec {
  // The contestant's program: box, argv, limits (the task's). Its stdio paths are ignored except
  // stderr_path (kept like any case's stderr).
  sandbox::RunRequest program;
  // The interactor: argv {interactor, <input>, <tout>} with tout a file it writes in its own box
  // (collected by the caller when a checker runs next), its own limits (judging.md §3's).
  // stderr_path must be a host file: the interactor's message is read from it.
  // Its wall limit is raised to the program's + 1 s when lower, so idleness is the program's TLE.
  sandbox::RunRequest interactor;
  size_t report_bytes = 64 * 1024;  // of the program's stderr kept in the result
};

struct InteractiveCaseOutcome {
  // status by the precedence above; exec time, memory, wall time and exit code of the program;
  // points and message from the interactor (message also for JE: why).
  api::CaseResult result;
  // The interactor accepted (exit 0): a configured checker should now judge tout.
  bool interactor_accepted = false;
};

InteractiveCaseOutcome RunInteractiveCase(CaseExecutor& executor, const InteractiveCaseSpec& spec,
                                          std::stop_token stop);

}  // namespace noj::runner
