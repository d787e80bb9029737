#include "common/log_line.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

namespace noj::logging {
namespace {

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// A JSON-string value starting at line[i] == '"'; advances i past the closing quote.
bool ReadQuoted(std::string_view line, size_t& i, std::string& out) {
  size_t start = i++;
  bool escaped = false;
  for (; i < line.size(); ++i) {
    if (escaped) {
      escaped = false;
    } else if (line[i] == '\\') {
      escaped = true;
    } else if (line[i] == '"') {
      ++i;
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(line.substr(start, i - start), ec);
      if (ec || !v.is_string()) {
        // Not valid JSON (e.g. a raw quote inside): keep the characters between the quotes.
        out.assign(line.substr(start + 1, i - start - 2));
      } else {
        out.assign(v.as_string().c_str(), v.as_string().size());
      }
      return true;
    }
  }
  return false;
}

bool IsInteger(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && (s == "0" || s[0] != '0') &&
         !(s.size() > 1 && s[0] == '-' && s[1] == '0');
}

}  // namespace

std::string Quote(std::string_view text) {
  return boost::json::serialize(boost::json::string(text));
}

std::vector<std::pair<std::string, std::string>> ParseKeyValues(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    size_t k = i;
    while (i < line.size() && IsKeyChar(line[i])) ++i;
    if (i == k || i >= line.size() || line[i] != '=') return {{"msg", std::string(line)}};
    std::string key(line.substr(k, i - k));
    ++i;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      if (!ReadQuoted(line, i, value)) return {{"msg", std::string(line)}};
      if (i < line.size() && line[i] != ' ') return {{"msg", std::string(line)}};
    } else {
      size_t v = i;
      while (i < line.size() && line[i] != ' ') ++i;
      value.assign(line.substr(v, i - v));
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  if (out.empty()) return {{"msg", std::string(line)}};
  return out;
}

std::string JsonLogLine(std::string_view ts, std::string_view level, std::string_view line) {
  boost::json::object o;
  o["ts"] = ts;
  o["level"] = level;
  for (auto& [k, v] : ParseKeyValues(line)) {
    if (k == "ts" || k == "level") k = "field_" + k;  // never shadow the envelope
    if (IsInteger(v))
      o[k] = std::stoll(v);
    else
      o[k] = v;
  }
  return boost::json::serialize(o);
}

}  // namespace noj::logging
