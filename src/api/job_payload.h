#pragma once
// The next-job payload (protocol.md §2.3), shared by the server (encode) and runner (decode).

#include <cstdint>
#include <string>

#include "api/task_spec.h"

namespace noj::api {

enum class Language : int { kC = 0, kCpp = 1, kPython3 = 2 };

// nullopt-like: false for codes outside 0..2.
bool IsValidLanguage(int64_t code);
// "main.c", "main.cpp", "main.py".
const char* SourceFileName(Language lang);

struct JobPayload {
  std::string job_id;
  std::string submission_id;
  int64_t problem_id = 0;
  Language language = Language::kC;
  int attempt = 0;
  std::string code_url;
  TaskSpecs tasks;
  bool operator==(const JobPayload&) const = default;
};

}  // namespace noj::api
