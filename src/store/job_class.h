#pragma once
// The requirement class of a job as both stores keep it (judging.md §5): api::RequirementsKey,
// "<language>:<feature bits>". Checked here once, so the stores refuse the same inputs.

#include <string>

#include "api/requirements.h"
#include "common/status.h"

namespace noj::store {

// The stored key of the class of a job in `language` that needs `r`. kInvalidArgument when
// r.language is not `language`, is out of 0..kMaxLanguageCode, or r names an unknown feature.
inline Result<std::string> JobClassKey(int language, const api::JobRequirements& r) {
  if (r.language != language)
    return InvalidArgumentError("requirements name language " + std::to_string(r.language) +
                                " for a submission in language " + std::to_string(language));
  if (r.language < 0 || r.language > api::kMaxLanguageCode)
    return InvalidArgumentError("language must be from 0 to " +
                                std::to_string(api::kMaxLanguageCode));
  if ((r.features & ~api::kAllFeatures) != 0)
    return InvalidArgumentError("requirements name an unknown feature");
  return api::RequirementsKey(r);
}

}  // namespace noj::store
