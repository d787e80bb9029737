#pragma once
// The `data` object of GET /problem/{pid}/meta and the testdata checksum over it (protocol.md
// §2.6): both are computed here, so the checksum always covers exactly what runners are served.

#include <boost/json.hpp>
#include <string>

#include "api/problem_meta.h"
#include "api/task_spec.h"

namespace noj::server {

// {"tasks": [...]} followed by the judging.md §2 extension keys that differ from the defaults
// (checker, interactive, outputLimit, languages). A plain Normal-OJ problem gives {"tasks": [...]}.
boost::json::object ProblemMetaData(const api::TaskSpecs& tasks, const api::ProblemMeta& meta);

// md5 hex of the zip bytes followed by ProblemMetaData as Python's json.dumps writes it.
std::string TestdataChecksum(const std::string& zip, const api::TaskSpecs& tasks,
                             const api::ProblemMeta& meta);

}  // namespace noj::server
