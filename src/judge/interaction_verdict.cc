#include "judge/interaction_verdict.h"

namespace noj::judge {
namespace {

using api::Verdict;

InteractionVerdict Decided(Verdict verdict, std::string message = "") {
  InteractionVerdict v;
  v.verdict = verdict;
  v.message = std::move(message);
  return v;
}

// The interactor's end read as a checker's; a SIGPIPE is the program's doing (see the header).
CheckerOutcome InterpretInteractor(const InteractionEnds& e) {
  if (e.interactor_broken_pipe) {
    std::string said = CleanMessage(e.interactor_stderr);
    return CheckerOutcome{CheckerJudgement::kWrongAnswer, 0,
                          "the program stopped reading before the interactor finished" +
                              (said.empty() ? std::string() : ": " + said)};
  }
  CheckerOutcome outcome = InterpretCheckerEnd(e.interactor, e.interactor_stderr);
  // InterpretCheckerEnd's own words speak of a checker; here it is the interactor that failed.
  constexpr std::string_view kChecker = "checker";
  if (outcome.judgement == CheckerJudgement::kJudgeError && outcome.message.starts_with(kChecker) &&
      outcome.message != CleanMessage(e.interactor_stderr))
    outcome.message.replace(0, kChecker.size(), "interactor");
  return outcome;
}

}  // namespace

InteractionVerdict DecideInteraction(const InteractionEnds& e) {
  if (!e.sandbox_error.empty()) return Decided(Verdict::kJE, "sandbox error: " + e.sandbox_error);
  switch (e.program) {
    case ProgramEnd::kTimeLimit:
      return Decided(Verdict::kTLE);
    case ProgramEnd::kMemoryLimit:
      return Decided(Verdict::kMLE);
    case ProgramEnd::kOutputLimit:
      return Decided(Verdict::kOLE);
    default:
      break;
  }
  CheckerOutcome interactor = InterpretInteractor(e);
  if (interactor.judgement == CheckerJudgement::kWrongAnswer && interactor.points == 0)
    return Decided(Verdict::kWA, std::move(interactor.message));
  if (e.program == ProgramEnd::kFailed) return Decided(Verdict::kRE);
  switch (interactor.judgement) {
    case CheckerJudgement::kAccepted: {
      InteractionVerdict v = Decided(Verdict::kAC, std::move(interactor.message));
      v.interactor_accepted = true;
      return v;
    }
    case CheckerJudgement::kWrongAnswer: {
      InteractionVerdict v = Decided(Verdict::kWA, std::move(interactor.message));
      v.points = interactor.points;
      return v;
    }
    case CheckerJudgement::kJudgeError:
      break;
  }
  return Decided(Verdict::kJE, std::move(interactor.message));
}

}  // namespace noj::judge
