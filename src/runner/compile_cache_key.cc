#include "runner/compile_cache_key.h"

#include <sys/stat.h>

#include "common/crypto.h"
#include "runner/box_files.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

// Every field length-prefixed, so no two different field lists give the same text.
void KeyField(std::string& out, std::string_view tag, std::string_view value) {
  out.append(tag);
  out.push_back(':');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

}  // namespace

std::string CompilerIdentities::Of(const std::string& argv0) {
  std::error_code ec;
  fs::path resolved = fs::canonical(argv0, ec);
  struct stat st {};
  if (ec || ::stat(resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return "unresolved:" + argv0;
  FileId id{resolved.string(), static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
            int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
  {
    MutexLock lock(&mu_);
    if (auto it = known_.find(id); it != known_.end()) return it->second;
  }
  // Outside the lock: a compiler is a few MiB; two jobs may both hash it once, harmlessly.
  auto content = ReadFile(resolved, uint64_t{1} << 31);
  if (!content.ok()) return "unresolved:" + argv0;
  std::string identity = "sha256:" + crypto::Sha256Hex(*content);
  MutexLock lock(&mu_);
  ++hashed_;
  known_.emplace(std::move(id), identity);
  return identity;
}

int CompilerIdentities::hashed() const {
  MutexLock lock(&mu_);
  return hashed_;
}

Result<std::string> CompileKey(const LanguageSpec& spec, const CompileRun& run,
                               const std::string& compiler_identity, uint64_t max_source_bytes) {
  std::string text;
  KeyField(text, "format", "noj-compile-key-1");
  KeyField(text, "code", std::to_string(spec.code));
  KeyField(text, "name", spec.name);
  KeyField(text, "source", spec.source);
  for (const std::string& a : run.argv) KeyField(text, "argv", a);
  for (const std::string& e : run.env) KeyField(text, "env", e);
  KeyField(text, "cpu_ms", std::to_string(run.limits.cpu_ms));
  KeyField(text, "memory_kib", std::to_string(run.limits.memory_kib));
  KeyField(text, "output_bytes", std::to_string(run.limits.output_bytes));
  KeyField(text, "max_processes", std::to_string(run.limits.max_processes));
  KeyField(text, "compiler", compiler_identity);
  NOJ_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFilesBelow(run.src));  // sorted
  uint64_t left = max_source_bytes;
  for (const std::string& f : files) {
    auto content = ReadFile(run.src / f, left);
    if (!content.ok()) {
      if (content.status().code() == ErrorCode::kResourceExhausted) return content.status();
      return InternalError(content.status().message());
    }
    left -= content->size();
    KeyField(text, "file", f);
    KeyField(text, "sha256", crypto::Sha256Hex(*content));
  }
  return crypto::Sha256Hex(text);
}

}  // namespace noj::runner
