#pragma once
// A strict reader of the Prometheus text exposition format (0.0.4), for tests: it checks what a
// Prometheus server would reject (names, label syntax and escapes, values, HELP/TYPE placement,
// histogram series) and returns the samples.

#include <map>
#include <optional>
#include <string>

namespace noj::testing {

struct Exposition {
  // "name{a=\"x\",b=\"y\"}" (labels sorted by name) → value; "name" when there are no labels.
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family → counter|gauge|histogram|summary|untyped

  // The sample's value, or nullopt. `labels` as written in the key, e.g. R"(verdict="AC")".
  std::optional<double> Get(const std::string& name, const std::string& labels = "") const;
  // Sum over every series of `name` whose labels contain all of `labels_subset` (k="v" items).
  double Sum(const std::string& name,
             const std::map<std::string, std::string>& labels_subset = {}) const;
};

// Parses `text`; on the first violation returns nullopt and sets `error` ("line N: why").
std::optional<Exposition> ParseExposition(const std::string& text, std::string* error);

}  // namespace noj::testing
