#pragma once
// Where nojctl finds the API token, first found wins: --token, --token-file (a plain file holding
// the token, or nojd's secrets.json whose "api_token" is used), NOJ_API_TOKEN, NOJ_API_TOKEN_FILE.
// A flag beats the environment so that `--token-file` works with NOJ_API_TOKEN set.

#include <string>

#include "common/status.h"

namespace noj::cli {

struct TokenSources {
  std::string flag_token;
  std::string flag_file;
  std::string env_token;
  std::string env_file;
};

// kInvalidArgument with a sentence saying what to do when there is no usable token (or both
// flags are given).
Result<std::string> ResolveApiToken(const TokenSources& sources);

// The token held by `text`: a JSON object's "api_token", or the whole text trimmed.
Result<std::string> TokenFromFileText(const std::string& text, const std::string& path);

}  // namespace noj::cli
