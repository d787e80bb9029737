#pragma once
// Logging: spdlog, one line per event with key=value fields, e.g.
//   NOJ_LOG_INFO("event=reclaimed job={} runner={} attempt={}", job, runner, attempt);
// Tokens are never passed to a log call.

#include <spdlog/spdlog.h>

#include <string_view>

#include "common/log_line.h"
#include "common/status.h"

namespace noj::logging {

// level: trace|debug|info|warn|error|off; format: text (`ts=… level=info event=… job=…`) or json
// (one object per line with the same members). kInvalidArgument for anything else.
Status Init(std::string_view level, std::string_view format = "text");

}  // namespace noj::logging

#define NOJ_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)
#define NOJ_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define NOJ_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define NOJ_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
