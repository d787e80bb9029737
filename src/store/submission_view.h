#pragma once
// A stored submission as the client API shows it (protocol.md §5): what GET /submissions/{sid}
// answers and what a result callback POSTs (docs/callbacks.md), built in one place so the two
// never differ.

#include "api/submission_bodies.h"
#include "store/records.h"

namespace noj::store {

api::SubmissionView ToSubmissionView(const SubmissionRecord& s);

}  // namespace noj::store
