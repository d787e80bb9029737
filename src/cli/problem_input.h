#pragma once
// Inputs of `nojctl problem create`: task specs written SCORE:CASES:TIME_MS:MEM_KIB, the checker
// and output-limit flags, problem meta files, and the testdata package given as a zip file or as
// a directory (zipped here), which can be checked against the tasks and meta before upload.

#include <boost/json.hpp>
#include <string>

#include "common/status.h"

namespace noj::cli {

namespace bj = boost::json;

// "50:3:1000:65536" → {"taskScore":50,"caseCount":3,"timeLimit":1000,"memoryLimit":65536}.
// kInvalidArgument names the part that is wrong. Limits are the server's to judge.
Result<bj::object> ParseTaskSpec(const std::string& text);

// --checker: "default", "exact", "tokens", "custom" or "float:ABS:REL" → the meta's "checker"
// object ({"type":"float","abs":ABS,"rel":REL}). kInvalidArgument says what is wrong.
Result<bj::object> ParseCheckerFlag(const std::string& text);

// --output-limit: bytes, optionally with a binary suffix K, M or G ("65536", "64M").
Result<int64_t> ParseByteSize(const std::string& flag, const std::string& text);

// A meta file: a JSON object with any of "title", "tasks" and the judging.md §2 keys (the body of
// POST /problems).
Result<bj::object> ReadProblemMeta(const std::string& path);

// The package checked as the server will check it, when `body`'s tasks and meta are well formed
// (otherwise OK: the server answers for them). kInvalidArgument lists the issues, with the
// "extra: …; missing: …" summary the server's refusal would give.
Status CheckPackageLocally(const bj::object& body, const std::string& zip);

// The zip to upload: a file is sent as it is (after checking it is a zip); a directory is zipped
// with every regular file under it, by relative path, skipping names that start with '.'.
Result<std::string> LoadTestdata(const std::string& path);

}  // namespace noj::cli
