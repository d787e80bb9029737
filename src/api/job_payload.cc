#include "api/job_payload.h"

#include "api/limits.h"

namespace noj::api {

bool IsValidLanguage(int64_t code) {
  return code >= 0 && code <= kMaxLanguageCode && code != kReservedLanguageCode;
}

bool IsBuiltinLanguage(int64_t code) {
  return code >= static_cast<int64_t>(Language::kC) &&
         code <= static_cast<int64_t>(Language::kPython3);
}

const char* SourceFileName(Language lang) {
  switch (lang) {
    case Language::kC:
      return "main.c";
    case Language::kCpp:
      return "main.cpp";
    case Language::kPython3:
      return "main.py";
  }
  return "main";  // a code from a runner's languages file
}

}  // namespace noj::api
