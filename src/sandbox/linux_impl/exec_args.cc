#include "sandbox/linux_impl/exec_args.h"

namespace noj::sandbox::linux_impl {

CStringArray::CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
  pointers_.reserve(strings_.size() + 1);
  for (std::string& s : strings_) pointers_.push_back(s.data());
  pointers_.push_back(nullptr);
}

std::vector<std::string> ProgramEnvironment(const std::vector<std::string>& env) {
  std::vector<std::string> out = env;
  bool has_path = false;
  for (const std::string& kv : env) has_path = has_path || kv.starts_with("PATH=");
  if (!has_path) out.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
  return out;
}

}  // namespace noj::sandbox::linux_impl
