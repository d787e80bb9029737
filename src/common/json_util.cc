#include "common/json_util.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace noj::json {

Result<bj::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  bj::parse_options opts;
  opts.max_depth = 64;
  bj::value v = bj::parse(text, ec, {}, opts);
  if (ec) return InvalidArgumentError("malformed JSON: " + ec.message());
  return v;
}

Result<bj::object> ParseObject(std::string_view text) {
  NOJ_ASSIGN_OR_RETURN(bj::value v, Parse(text));
  if (!v.is_object()) return InvalidArgumentError("JSON body must be an object");
  return std::move(v.as_object());
}

std::string SnakeToCamel(std::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

const bj::value* Find(const bj::object& obj, std::string_view snake) {
  if (auto it = obj.find(snake); it != obj.end()) return &it->value();
  std::string camel = SnakeToCamel(snake);
  if (camel != snake)
    if (auto it = obj.find(camel); it != obj.end()) return &it->value();
  return nullptr;
}

Result<std::optional<std::string>> GetString(const bj::object& obj, std::string_view snake) {
  const bj::value* v = Find(obj, snake);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string())
    return InvalidArgumentError("field '" + std::string(snake) + "' must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

std::optional<int64_t> IntegerOf(const bj::value& v, bool* out_of_range) {
  *out_of_range = false;
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) {
    if (v.as_uint64() <= static_cast<uint64_t>(INT64_MAX))
      return static_cast<int64_t>(v.as_uint64());
    *out_of_range = true;
    return std::nullopt;
  }
  if (v.is_double()) {
    double d = v.as_double();
    if (!std::isfinite(d) || d != std::trunc(d)) return std::nullopt;
    // The range before the conversion: converting a double outside int64's range is undefined
    // behaviour (a fuzzed 8555…5 with 100 digits parses as a double). 2^63 is exactly
    // representable; anything at or beyond it does not fit.
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
      *out_of_range = true;
      return std::nullopt;
    }
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> GetInt(const bj::object& obj, std::string_view snake) {
  const bj::value* v = Find(obj, snake);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  bool out_of_range = false;
  if (std::optional<int64_t> n = IntegerOf(*v, &out_of_range)) return n;
  return InvalidArgumentError("field '" + std::string(snake) + "' must be an integer");
}

Result<std::optional<bool>> GetBool(const bj::object& obj, std::string_view snake) {
  const bj::value* v = Find(obj, snake);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool())
    return InvalidArgumentError("field '" + std::string(snake) + "' must be a boolean");
  return std::optional<bool>(v->as_bool());
}

namespace {

void DumpString(std::string_view s, std::string& out) {
  // ensure_ascii: non-ASCII as \uXXXX (UTF-16, surrogate pairs), like Python.
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0x80) {
      if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
        cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
        len = 2;
      } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
        cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        len = 3;
      } else if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
        cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
             (s[i + 3] & 0x3F);
        len = 4;
      }
    }
    i += len;
    char buf[16];
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0x10000)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    } else if (cp >= 0x10000) {
      uint32_t v = cp - 0x10000;
      std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
      out += buf;
    } else {
      out += static_cast<char>(cp);
    }
  }
  out += '"';
}

// Python's repr(float): the shortest digits that read back exactly, in fixed notation when the
// decimal exponent lies in [-4, 16), else as d[.ddd]e±XX; "inf"/"nan" as json.dumps writes them.
void DumpDouble(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  if (ec != std::errc()) {
    out += bj::serialize(bj::value(d));
    return;
  }
  std::string_view sci(buf, static_cast<size_t>(end - buf));  // "-1.2345e-07"
  const size_t e_pos = sci.find('e');
  std::string_view mantissa = sci.substr(0, e_pos);
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  bool negative = !mantissa.empty() && mantissa[0] == '-';
  if (negative) mantissa.remove_prefix(1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  if (negative) out += '-';
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
      out += digits;
      out.append(static_cast<size_t>(exponent) + 1 - digits.size(), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent) + 1);
      out += '.';
      out += digits.substr(static_cast<size_t>(exponent) + 1);
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                exponent < 0 ? -exponent : exponent);
  out += exp_buf;
}

void DumpValue(const bj::value& v, std::string& out) {
  switch (v.kind()) {
    case bj::kind::null:
      out += "null";
      break;
    case bj::kind::bool_:
      out += v.as_bool() ? "true" : "false";
      break;
    case bj::kind::int64:
      out += std::to_string(v.as_int64());
      break;
    case bj::kind::uint64:
      out += std::to_string(v.as_uint64());
      break;
    case bj::kind::double_:
      DumpDouble(v.as_double(), out);
      break;
    case bj::kind::string:
      DumpString(v.as_string(), out);
      break;
    case bj::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out += ", ";
        first = false;
        DumpValue(e, out);
      }
      out += ']';
      break;
    }
    case bj::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.as_object()) {
        if (!first) out += ", ";
        first = false;
        DumpString(kv.key(), out);
        out += ": ";
        DumpValue(kv.value(), out);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string PythonDumps(const bj::value& v) {
  std::string out;
  DumpValue(v, out);
  return out;
}

std::string Dump(const bj::value& v) { return bj::serialize(v); }

}  // namespace noj::json
