#pragma once
// What a runner states at registration (judging.md §5, docs/protocol.md §2.1): next to `name`, an
// optional "languages" (codes 0..63) and "features" (names). The runner writes them, the server
// reads them; a runner that states neither (Normal-OJ's) has the default capabilities.

#include <boost/json.hpp>

#include "api/requirements.h"
#include "common/status.h"

namespace noj::api {

// Adds "languages" and "features" to a registration body.
void AppendRunnerCapabilitiesJson(const RunnerCapabilities& capabilities,
                                  boost::json::object& body);

// Reads them from a registration body; an absent or null field keeps its default (languages 0-2,
// no feature). kInvalidArgument with a message for people: "languages" not an array of integers
// 0..63, empty or longer than 64; "features" not an array of strings, or an unknown name.
Result<RunnerCapabilities> RunnerCapabilitiesFromJson(const boost::json::object& body);

}  // namespace noj::api
