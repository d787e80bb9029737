#pragma once
// NULL-terminated char* arrays for execve, built before cloning (the child must not allocate).

#include <string>
#include <vector>

namespace noj::sandbox::linux_impl {

class CStringArray {
 public:
  explicit CStringArray(std::vector<std::string> strings);
  CStringArray(const CStringArray&) = delete;
  CStringArray& operator=(const CStringArray&) = delete;

  char* const* get() const { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

// The program's environment: exactly `env`, plus PATH when it does not set one.
std::vector<std::string> ProgramEnvironment(const std::vector<std::string>& env);

}  // namespace noj::sandbox::linux_impl
