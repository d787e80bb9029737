#pragma once
// The verdict of one interactive case (judging.md §4) from how its two runs ended — pure, so
// every ordering is testable without processes:
//   1. a box that failed to run (sandbox error) → JE: nothing is known about the program;
//   2. the program's TLE, MLE, OLE (idleness — both waiting — ends at its wall limit: TLE);
//   3. the interactor's WA without points (exit 1, 2, 8, or points 0) — also when the program
//      then died of a broken pipe or failed on the input cut short: it had already lost;
//      an interactor killed by SIGPIPE counts here too (WA): only the program can have closed
//      the pipe it writes to, by exiting or closing its stdin before the dialogue ended;
//   4. the program's RE (non-zero exit or a signal) — except SIGPIPE, which only says the
//      interactor had already finished, so its verdict decides;
//   5. the interactor's verdict: AC (exit 0, or points 1), WA with points p in (0, 1) (exit 7),
//      JE (exit 3, any other status, a signal, a limit of its own).

#include <optional>
#include <string>
#include <string_view>

#include "api/verdict.h"
#include "judge/checker_exit.h"

namespace noj::judge {

// How the contestant's program ended, as its box reported it.
enum class ProgramEnd {
  kExitedOk,   // exit status 0 within every limit
  kTimeLimit,  // CPU or wall (idleness) limit
  kMemoryLimit,
  kOutputLimit,
  kFailed,      // non-zero exit status, or a signal other than SIGPIPE
  kBrokenPipe,  // killed by SIGPIPE: it wrote after the interactor had ended
};

struct InteractionEnds {
  // Non-empty: one of the boxes could not run (the sandbox's own failure); decides JE.
  std::string sandbox_error;
  ProgramEnd program = ProgramEnd::kExitedOk;
  CheckerEnd interactor;                // its exit status, or why it did not exit
  bool interactor_broken_pipe = false;  // killed by SIGPIPE (implies !interactor.exited)
  std::string_view interactor_stderr;   // its message (testlib: "ok …", "points 0.5 …")
};

struct InteractionVerdict {
  api::Verdict verdict = api::Verdict::kJE;
  std::optional<double> points;  // WA with the interactor's partial points p in (0, 1)
  // The interactor's message when its verdict decided (steps 3 and 5), the sandbox's error for
  // step 1, empty when the program's own end decided.
  std::string message;
  // AC decided by the interactor (step 5): a configured checker may now judge its tout.
  bool interactor_accepted = false;
};

InteractionVerdict DecideInteraction(const InteractionEnds& ends);

}  // namespace noj::judge
