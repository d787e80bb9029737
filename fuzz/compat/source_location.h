#pragma once
// clang 14 with libstdc++ 12: <source_location> declares nothing, because libstdc++ implements
// std::source_location with __builtin_source_location, which clang has only from version 15.
// src/common/status.h needs it, so the fuzz build (clang 14 only) force-includes this stand-in,
// built on the __builtin_FILE/LINE/COLUMN/FUNCTION builtins clang 14 does have. It is never
// used with gcc or a newer clang (see cmake/noj.cmake), and it goes away with clang ≥ 15.

#include <source_location>  // a no-op here, but defines __cpp_lib_source_location when usable

#if defined(__clang__) && !defined(__cpp_lib_source_location)
#include <cstdint>

namespace std {

struct source_location {
  static constexpr source_location current(const char* file = __builtin_FILE(),
                                           const char* function = __builtin_FUNCTION(),
                                           uint_least32_t line = __builtin_LINE(),
                                           uint_least32_t column = __builtin_COLUMN()) noexcept {
    source_location loc;
    loc.file_ = file;
    loc.function_ = function;
    loc.line_ = line;
    loc.column_ = column;
    return loc;
  }
  constexpr source_location() noexcept = default;
  constexpr uint_least32_t line() const noexcept { return line_; }
  constexpr uint_least32_t column() const noexcept { return column_; }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr const char* function_name() const noexcept { return function_; }

 private:
  const char* file_ = "";
  const char* function_ = "";
  uint_least32_t line_ = 0;
  uint_least32_t column_ = 0;
};

}  // namespace std

#endif
