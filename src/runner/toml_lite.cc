#include "runner/toml_lite.h"

#include <cctype>
#include <set>
#include <utility>

namespace noj::runner::toml {
namespace {

bool IsBareChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// A cursor over the whole text; tracks the line for messages.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  char Take() {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  int line() const { return line_; }

  void SkipBlanks() {  // spaces and tabs only
    while (Peek() == ' ' || Peek() == '\t') Take();
  }
  void SkipComment() {
    if (Peek() == '#')
      while (!AtEnd() && Peek() != '\n') Take();
  }
  // Blanks, comments and newlines (inside arrays).
  void SkipSpaceAndLines() {
    for (;;) {
      SkipBlanks();
      SkipComment();
      if (Peek() == '\n' || Peek() == '\r') {
        Take();
        continue;
      }
      return;
    }
  }
  // After a value or header: blanks, optional comment, then end of line or text.
  Status EndOfLine() {
    SkipBlanks();
    SkipComment();
    if (Peek() == '\r') Take();
    if (AtEnd()) return Status::Ok();
    if (Peek() != '\n') return Error("unexpected text after value");
    Take();
    return Status::Ok();
  }
  Status Error(const std::string& what) const { return ErrorAt(line_, what); }
  static Status ErrorAt(int line, const std::string& what) {
    return InvalidArgumentError("line " + std::to_string(line) + ": " + what);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

Status ParseEscape(Cursor& c, std::string& out) {
  if (c.AtEnd()) return c.Error("unterminated string");
  switch (char e = c.Take()) {
    case '"':
      out += '"';
      return Status::Ok();
    case '\\':
      out += '\\';
      return Status::Ok();
    case 'n':
      out += '\n';
      return Status::Ok();
    case 't':
      out += '\t';
      return Status::Ok();
    case 'r':
      out += '\r';
      return Status::Ok();
    default:
      return c.Error(std::string("unsupported escape \\") + e);
  }
}

Result<std::string> ParseString(Cursor& c) {
  char quote = c.Take();
  std::string out;
  for (;;) {
    if (c.AtEnd() || c.Peek() == '\n') return c.Error("unterminated string");
    char ch = c.Take();
    if (ch == quote) return out;
    if (ch == '\\' && quote == '"') {
      NOJ_RETURN_IF_ERROR(ParseEscape(c, out));
      continue;
    }
    out += ch;
  }
}

Result<std::vector<std::string>> ParseArray(Cursor& c) {
  c.Take();  // '['
  std::vector<std::string> out;
  for (;;) {
    c.SkipSpaceAndLines();
    if (c.AtEnd()) return c.Error("unterminated array");
    if (c.Peek() == ']') {
      c.Take();
      return out;
    }
    if (c.Peek() != '"' && c.Peek() != '\'') return c.Error("arrays may only hold strings");
    NOJ_ASSIGN_OR_RETURN(std::string s, ParseString(c));
    out.push_back(std::move(s));
    c.SkipSpaceAndLines();
    if (c.AtEnd()) return c.Error("unterminated array");
    if (c.Peek() == ',') {
      c.Take();
    } else if (c.Peek() != ']') {
      return c.Error("expected ',' or ']' in array");
    }
  }
}

Result<Value> ParseScalar(Cursor& c) {
  std::string word;
  while (!c.AtEnd() && (IsBareChar(c.Peek()) || c.Peek() == '+')) word += c.Take();
  if (word == "true") return Value(true);
  if (word == "false") return Value(false);
  if (word.empty()) return c.Error("missing value");
  std::string digits = word;
  std::erase(digits, '_');
  size_t i = (digits[0] == '-' || digits[0] == '+') ? 1 : 0;
  if (i == digits.size() || digits.size() > 18) return c.Error("bad value '" + word + "'");
  for (size_t k = i; k < digits.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(digits[k])))
      return c.Error("bad value '" + word + "'");
  return Value(static_cast<int64_t>(std::stoll(digits)));
}

Result<Value> ParseValue(Cursor& c) {
  c.SkipBlanks();
  if (c.Peek() == '"' || c.Peek() == '\'') {
    NOJ_ASSIGN_OR_RETURN(std::string s, ParseString(c));
    return Value(std::move(s));
  }
  if (c.Peek() == '[') {
    NOJ_ASSIGN_OR_RETURN(auto a, ParseArray(c));
    return Value(std::move(a));
  }
  return ParseScalar(c);
}

Result<std::string> ParseName(Cursor& c, std::string_view what) {
  std::string name;
  while (!c.AtEnd() && IsBareChar(c.Peek())) name += c.Take();
  if (name.empty()) return c.Error("expected a " + std::string(what));
  return name;
}

Result<std::string> ParseHeader(Cursor& c) {
  c.Take();  // '['
  c.SkipBlanks();
  NOJ_ASSIGN_OR_RETURN(std::string name, ParseName(c, "section name"));
  c.SkipBlanks();
  if (c.Peek() != ']') return c.Error("expected ']' after section name");
  c.Take();
  NOJ_RETURN_IF_ERROR(c.EndOfLine());
  return name;
}

}  // namespace

Result<std::vector<Entry>> Parse(std::string_view text) {
  Cursor c(text);
  std::vector<Entry> entries;
  std::set<std::pair<std::string, std::string>> seen;
  std::set<std::string> sections;
  std::string section;
  while (!c.AtEnd()) {
    c.SkipSpaceAndLines();
    if (c.AtEnd()) break;
    int line = c.line();
    if (c.Peek() == '[') {
      NOJ_ASSIGN_OR_RETURN(section, ParseHeader(c));
      if (!sections.insert(section).second)
        return Cursor::ErrorAt(line, "duplicate section [" + section + "]");
      continue;
    }
    NOJ_ASSIGN_OR_RETURN(std::string key, ParseName(c, "key"));
    c.SkipBlanks();
    if (c.Peek() != '=') return c.Error("expected '=' after key '" + key + "'");
    c.Take();
    NOJ_ASSIGN_OR_RETURN(Value value, ParseValue(c));
    NOJ_RETURN_IF_ERROR(c.EndOfLine());
    if (!seen.emplace(section, key).second)
      return Cursor::ErrorAt(line, "duplicate key '" + key + "'");
    entries.push_back({section, std::move(key), std::move(value), line});
  }
  return entries;
}

}  // namespace noj::runner::toml
