#include "cli/token.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "common/json_util.h"

namespace noj::cli {
namespace {

constexpr size_t kMaxTokenFileBytes = 1 << 20;

std::string Trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

Status CheckToken(const std::string& token, const std::string& where) {
  for (unsigned char c : token)
    if (c <= 0x20 || c >= 0x7f)
      return InvalidArgumentError("the API token from " + where +
                                  " contains spaces or non-ASCII characters");
  return Status::Ok();
}

}  // namespace

Result<std::string> TokenFromFileText(const std::string& text, const std::string& path) {
  std::string trimmed = Trim(text);
  if (!trimmed.empty() && trimmed.front() == '{') {
    auto obj = json::ParseObject(trimmed);
    if (!obj.ok()) return InvalidArgumentError(path + " looks like JSON but does not parse");
    auto token = json::GetString(*obj, "api_token");
    if (!token.ok() || !token->has_value() || (*token)->empty())
      return InvalidArgumentError(path + " has no \"api_token\" string");
    NOJ_RETURN_IF_ERROR(CheckToken(**token, path));
    return **token;
  }
  if (trimmed.empty()) return InvalidArgumentError("token file " + path + " is empty");
  NOJ_RETURN_IF_ERROR(CheckToken(trimmed, path));
  return trimmed;
}

namespace {

Result<std::string> ReadTokenFile(const std::string& token_file) {
  std::ifstream in(token_file, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read token file " + token_file);
  std::string text(kMaxTokenFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxTokenFileBytes)
    return InvalidArgumentError("token file " + token_file + " is larger than 1 MiB");
  return TokenFromFileText(text, token_file);
}

}  // namespace

Result<std::string> ResolveApiToken(const TokenSources& s) {
  if (!s.flag_token.empty() && !s.flag_file.empty())
    return InvalidArgumentError("give --token or --token-file, not both");
  auto literal = [](const std::string& token, const std::string& where) -> Result<std::string> {
    NOJ_RETURN_IF_ERROR(CheckToken(token, where));
    return token;
  };
  if (!s.flag_token.empty()) return literal(s.flag_token, "--token");
  if (!s.flag_file.empty()) return ReadTokenFile(s.flag_file);
  if (!s.env_token.empty()) return literal(s.env_token, "NOJ_API_TOKEN");
  if (!s.env_file.empty()) return ReadTokenFile(s.env_file);
  return InvalidArgumentError(
      "no API token: give --token, --token-file or NOJ_API_TOKEN (nojd keeps it in "
      "<data-dir>/secrets.json)");
}

}  // namespace noj::cli
