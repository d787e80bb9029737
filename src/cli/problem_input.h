#pragma once
// Inputs of `nojctl problem create`: task specs written SCORE:CASES:TIME_MS:MEM_KIB, problem meta
// files, and testdata given as a zip file or as a directory (zipped here).

#include <boost/json.hpp>
#include <string>

#include "common/status.h"

namespace noj::cli {

namespace bj = boost::json;

// "50:3:1000:65536" → {"taskScore":50,"caseCount":3,"timeLimit":1000,"memoryLimit":65536}.
// kInvalidArgument names the part that is wrong. Limits are the server's to judge.
Result<bj::object> ParseTaskSpec(const std::string& text);

// A meta file: a JSON object with "title" and "tasks" (the body of POST /problems).
Result<bj::object> ReadProblemMeta(const std::string& path);

// The zip to upload: a file is sent as it is (after checking it is a zip); a directory is zipped
// with every regular file under it, by relative path, skipping names that start with '.'.
Result<std::string> LoadTestdata(const std::string& path);

}  // namespace noj::cli
