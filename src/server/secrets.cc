#include "server/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "callbacks/webhook_signature.h"
#include "common/ids.h"
#include "common/json_util.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

Status WriteFile0600(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return UnavailableError("cannot write " + tmp + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    return UnavailableError("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

Result<Secrets> LoadOrCreateSecrets(const ServerConfig& config, std::string& path_out) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return UnavailableError("cannot create data dir " + config.data_dir + ": " + ec.message());
  std::string path = (std::filesystem::path(config.data_dir) / "secrets.json").string();
  path_out = path;

  bj::object stored;
  bool dirty = false;
  if (std::filesystem::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = json::ParseObject(ss.str());
    if (!parsed.ok())
      return InvalidArgumentError("corrupt secrets file " + path + ": " +
                                  parsed.status().message());
    stored = std::move(*parsed);
    ::chmod(path.c_str(), 0600);
  }
  auto take = [&](const char* key, const std::optional<std::string>& override_value, bool generate,
                  std::string (*fresh_secret)() = &ids::NewSecret) -> std::string {
    if (override_value) return *override_value;
    if (auto it = stored.find(key); it != stored.end() && it->value().is_string())
      return std::string(it->value().as_string());
    if (!generate) return "";
    std::string fresh = fresh_secret();
    stored[key] = fresh;
    dirty = true;
    return fresh;
  };
  Secrets s;
  s.registration_token = take("registration_token", config.registration_token, true);
  s.api_token = take("api_token", config.api_token, true);
  s.sandbox_token = take("sandbox_token", config.sandbox_token, false);
  s.code_url_key = take("code_url_key", std::nullopt, true);
  // Standard Webhooks' form, "whsec_" + base64: receivers' libraries take it as it is.
  s.callback_secret =
      take("callback_secret", std::nullopt, true, &callbacks::GenerateWebhookSecret);
  if (auto key = callbacks::WebhookKey::Parse(s.callback_secret); !key.ok())
    return InvalidArgumentError("callback_secret in " + path + ": " + key.status().message());
  if (s.api_token.empty()) return InvalidArgumentError("the API token must not be empty");
  if (dirty) NOJ_RETURN_IF_ERROR(WriteFile0600(path, bj::serialize(stored) + "\n"));
  return s;
}

}  // namespace noj::server
