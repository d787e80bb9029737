#include "support/prometheus_text.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <vector>

namespace noj::testing {
namespace {

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool IsNameChar(char c) { return IsNameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

bool ValidMetricName(const std::string& n) {
  if (n.empty() || !IsNameStart(n[0])) return false;
  for (char c : n)
    if (!IsNameChar(c)) return false;
  return true;
}

bool ValidLabelName(const std::string& n) {
  if (n.empty() || n[0] == ':' || !IsNameStart(n[0])) return false;
  for (char c : n)
    if (c == ':' || !IsNameChar(c)) return false;
  return true;
}

bool ParseValue(const std::string& s, double& out) {
  if (s == "+Inf" || s == "Inf") return out = INFINITY, true;
  if (s == "-Inf") return out = -INFINITY, true;
  if (s == "NaN") return out = NAN, true;
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// The family a sample belongs to: histogram series end in _bucket/_sum/_count.
std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string sfx(suffix);
    if (name.size() > sfx.size() && name.compare(name.size() - sfx.size(), sfx.size(), sfx) == 0) {
      std::string base = name.substr(0, name.size() - sfx.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return name;
}

std::string Key(const std::string& name, const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return name;
  std::string k = name + "{";
  bool first = true;
  for (const auto& [n, v] : labels) {
    if (!first) k += ",";
    first = false;
    k += n + "=\"" + v + "\"";
  }
  return k + "}";
}

}  // namespace

std::optional<double> Exposition::Get(const std::string& name, const std::string& labels) const {
  auto it = samples.find(labels.empty() ? name : name + "{" + labels + "}");
  if (it == samples.end()) return std::nullopt;
  return it->second;
}

double Exposition::Sum(const std::string& name,
                       const std::map<std::string, std::string>& labels_subset) const {
  double total = 0;
  for (const auto& [key, value] : samples) {
    if (key != name && key.rfind(name + "{", 0) != 0) continue;
    bool all = true;
    for (const auto& [n, v] : labels_subset)
      if (key.find(n + "=\"" + v + "\"") == std::string::npos) all = false;
    if (all) total += value;
  }
  return total;
}

std::optional<Exposition> ParseExposition(const std::string& text, std::string* error) {
  Exposition out;
  std::set<std::string> helped;
  std::set<std::string> seen_families;  // families that already had samples
  std::string last_family;
  auto fail = [&](int line, const std::string& why) -> std::optional<Exposition> {
    if (error) *error = "line " + std::to_string(line) + ": " + why;
    return std::nullopt;
  };
  if (!text.empty() && text.back() != '\n') return fail(0, "text must end with a newline");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream ls(line);
      std::string hash, kind, name;
      ls >> hash >> kind >> name;
      if (kind != "HELP" && kind != "TYPE") continue;  // a plain comment
      if (!ValidMetricName(name)) return fail(n, "bad metric name in " + kind + ": " + name);
      if (seen_families.count(name)) return fail(n, kind + " after samples of " + name);
      if (kind == "HELP") {
        if (!helped.insert(name).second) return fail(n, "second HELP for " + name);
      } else {
        std::string type;
        ls >> type;
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(type)) return fail(n, "unknown TYPE " + type);
        if (!out.types.emplace(name, type).second) return fail(n, "second TYPE for " + name);
      }
      continue;
    }
    size_t i = 0;
    while (i < line.size() && IsNameChar(line[i])) ++i;
    std::string name = line.substr(0, i);
    if (!ValidMetricName(name)) return fail(n, "bad metric name: " + line);
    std::map<std::string, std::string> labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t s = i;
        while (i < line.size() && line[i] != '=') ++i;
        std::string lname = line.substr(s, i - s);
        if (!ValidLabelName(lname)) return fail(n, "bad label name: " + lname);
        if (i + 1 >= line.size() || line[i + 1] != '"') return fail(n, "label value not quoted");
        i += 2;
        std::string value;
        for (; i < line.size() && line[i] != '"'; ++i) {
          if (line[i] == '\\') {
            if (++i >= line.size()) return fail(n, "dangling escape");
            if (line[i] == 'n')
              value += '\n';
            else if (line[i] == '\\' || line[i] == '"')
              value += line[i];
            else
              return fail(n, "bad escape in label value");
          } else {
            value += line[i];
          }
        }
        if (i >= line.size()) return fail(n, "unterminated label value");
        ++i;
        if (!labels.emplace(lname, value).second) return fail(n, "duplicate label " + lname);
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail(n, "unterminated label set");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail(n, "no value");
    std::istringstream rest(line.substr(i + 1));
    std::string value_text, ts;
    rest >> value_text >> ts;
    double value = 0;
    if (!ParseValue(value_text, value)) return fail(n, "bad value: " + value_text);
    std::string family = FamilyOf(name, out.types);
    if (family != last_family && seen_families.count(family))
      return fail(n, "samples of " + family + " are not contiguous");
    seen_families.insert(family);
    last_family = family;
    auto type = out.types.find(family);
    if (type != out.types.end() && type->second == "counter" && value < 0)
      return fail(n, "negative counter " + name);
    if (name.size() > 7 && name.compare(name.size() - 7, 7, "_bucket") == 0 && !labels.count("le"))
      return fail(n, "bucket without le");
    if (!out.samples.emplace(Key(name, labels), value).second)
      return fail(n, "duplicate series " + Key(name, labels));
  }
  // Histograms: cumulative buckets ending in +Inf equal to _count.
  for (const auto& [family, type] : out.types) {
    if (type != "histogram") continue;
    for (const auto& [key, count] : out.samples) {
      if (key.rfind(family + "_count", 0) != 0) continue;
      std::string labels = key.substr(family.size() + 6);  // "{…}" or ""
      std::string inf_key =
          labels.empty()
              ? family + "_bucket{le=\"+Inf\"}"
              : family + "_bucket" + labels.substr(0, labels.size() - 1) + ",le=\"+Inf\"}";
      // Labels are sorted in keys; "le" may sort before others, so search loosely.
      double inf = -1;
      for (const auto& [bkey, bval] : out.samples) {
        if (bkey.rfind(family + "_bucket{", 0) != 0 ||
            bkey.find("le=\"+Inf\"") == std::string::npos)
          continue;
        std::string stripped = bkey;
        size_t le = stripped.find("le=\"+Inf\"");
        stripped.erase(le, 9);
        if (stripped.find(",,") != std::string::npos) stripped.erase(stripped.find(",,"), 1);
        if (stripped.find("{,") != std::string::npos) stripped.erase(stripped.find("{,") + 1, 1);
        if (stripped.find(",}") != std::string::npos) stripped.erase(stripped.find(",}"), 1);
        if (stripped == family + "_bucket{}") stripped = family + "_bucket";
        std::string want = family + "_bucket" + labels;
        if (stripped == want) inf = bval;
      }
      (void)inf_key;
      if (inf != count) return fail(0, "histogram " + key + ": +Inf bucket != _count");
    }
  }
  return out;
}

}  // namespace noj::testing
