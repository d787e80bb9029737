#pragma once
// The rule of judging.md §5: what a job needs from a runner, from its language, its problem's meta
// and its testdata's case format. A plain problem needs nothing but the language.

#include "api/problem_meta.h"
#include "api/requirements.h"

namespace noj::judge {

// `context_io`: the problem's testdata package uses the ContextIO layout (judging.md §1).
api::JobRequirements RequirementsOf(int language, const api::ProblemMeta& meta, bool context_io);

}  // namespace noj::judge
