#pragma once
// The next-job payload (protocol.md §2.3), shared by the server (encode) and runner (decode).

#include <cstdint>
#include <string>

#include "api/task_spec.h"

namespace noj::api {

// A language code (judging.md §5): 0 C, 1 C++, 2 Python 3 are built in (Normal-OJ's); 3 is
// reserved (Normal-OJ's handwritten answers); 4..63 are the ones runners' languages files add.
// The enumerators name the built-ins; any valid code may be held.
enum class Language : int { kC = 0, kCpp = 1, kPython3 = 2 };

inline constexpr int kReservedLanguageCode = 3;

// True for 0..63 other than 3 (what POST /submissions accepts).
bool IsValidLanguage(int64_t code);
// True for the built-in codes 0, 1, 2.
bool IsBuiltinLanguage(int64_t code);
// The file the code zip of /code/{sid} holds: "main.c", "main.cpp", "main.py" for the built-ins
// (what Normal-OJ's runner expects); "main" for the others, which a runner installs under the
// source name its languages file gives (Main.java, main.rs, …).
const char* SourceFileName(Language lang);

struct JobPayload {
  std::string job_id;
  std::string submission_id;
  int64_t problem_id = 0;
  Language language = Language::kC;
  int attempt = 0;
  std::string code_url;
  TaskSpecs tasks;
  // Extensions (docs/protocol.md, judging.md §6): the problem version the lease judges and its
  // testdata checksum, so a runner fetches that version's testdata. Empty / 0 when not sent (a
  // Normal-OJ server): the runner then uses the current testdata.
  std::string checksum;
  int64_t problem_version = 0;
  bool operator==(const JobPayload&) const = default;
};

}  // namespace noj::api
