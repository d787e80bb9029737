#include "api/job_payload.h"

namespace noj::api {

bool IsValidLanguage(int64_t code) {
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
  return "";  // only for a Language cast from an invalid code (see IsValidLanguage)
}

}  // namespace noj::api
