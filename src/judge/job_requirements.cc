#include "judge/job_requirements.h"

namespace noj::judge {

api::JobRequirements RequirementsOf(int language, const api::ProblemMeta& meta, bool context_io) {
  api::JobRequirements r;
  r.language = language;
  if (meta.checker.kind != api::CheckerKind::kDefault) r.features |= api::kFeatureChecker;
  if (meta.interactive) r.features |= api::kFeatureInteractive;
  if (context_io) r.features |= api::kFeatureFileIo;
  return r;
}

}  // namespace noj::judge
