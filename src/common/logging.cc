#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace noj::logging {

Status Init(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off")
    return InvalidArgumentError("unknown log level '" + std::string(level) + "'");
  auto logger = spdlog::stderr_color_mt("noj");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %L %v");
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  return Status::Ok();
}

}  // namespace noj::logging
