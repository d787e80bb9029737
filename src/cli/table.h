#pragma once
// A plain text table: a header row and rows of cells, columns padded to their widest cell
// (UTF-8 aware), two spaces between columns, no trailing spaces.

#include <ostream>
#include <string>
#include <vector>

namespace noj::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}

  // Missing cells print empty; extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Columns shown on screen by a UTF-8 string (code points, not bytes).
size_t DisplayWidth(const std::string& s);

}  // namespace noj::cli
