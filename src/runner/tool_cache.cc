#include "runner/tool_cache.h"

#include <chrono>

#include "common/logging.h"
#include "runner/box_files.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

struct ToolSource {
  std::string file;  // "checker.cpp"
  api::Language language;
};

// The one source of `folder` (judging.md §1), or why there is none.
Result<ToolSource> FindToolSource(const fs::path& dir, const std::string& folder) {
  std::vector<ToolSource> found;
  for (auto [ext, lang] :
       {std::pair{".c", api::Language::kC}, std::pair{".cpp", api::Language::kCpp},
        std::pair{".py", api::Language::kPython3}}) {
    std::string file = folder + ext;
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(dir / file, ec))) found.push_back({file, lang});
  }
  if (found.size() == 1) return found.front();
  std::string names = folder + ".c, " + folder + ".cpp or " + folder + ".py";
  return FailedPreconditionError(folder + "/ holds " + (found.empty() ? "none" : "more than one") +
                                 " of " + names);
}

ToolBuild Failure(std::string why) { return ToolBuild{std::nullopt, std::move(why)}; }

// Leftovers of a compile this process (or an earlier one) did not finish.
void RemoveTempDirs(const fs::path& build, const std::string& prefix) {
  std::error_code ec;
  std::vector<fs::path> victims;
  for (const auto& e : fs::directory_iterator(build, ec))
    if (e.path().filename().string().starts_with(prefix)) victims.push_back(e.path());
  for (const auto& v : victims) RemoveTree(v).IgnoreError();  // best effort: the version's removal
}

}  // namespace

ToolCache::ToolCache(CaseExecutor& executor, const LanguageTable& languages, CompileLimits limits,
                     size_t report_bytes, int64_t run_memory_kib, CompileCache* compile_cache)
    : executor_(executor),
      languages_(languages),
      limits_(limits),
      report_bytes_(report_bytes),
      run_memory_kib_(run_memory_kib),
      compile_cache_(compile_cache) {}

Result<ToolBuild> ToolCache::Get(const fs::path& testdata_dir, const std::string& folder,
                                 int box_id, std::stop_token stop) {
  const std::string key = (testdata_dir / kBuildDirName / folder).string();
  std::shared_ptr<std::mutex> lock;
  {
    MutexLock guard(&mu_);
    auto& slot = locks_[key];
    if (!slot) slot = std::make_shared<std::mutex>();
    lock = slot;
  }
  Result<ToolBuild> result = [&] {
    std::lock_guard held(*lock);
    return GetLocked(testdata_dir, folder, box_id, stop);
  }();
  MutexLock guard(&mu_);
  if (auto it = locks_.find(key); it != locks_.end() && it->second.use_count() == 2)
    locks_.erase(it);  // nobody else waits on it: the map stays as small as the work in flight
  return result;
}

Result<ToolBuild> ToolCache::GetLocked(const fs::path& testdata_dir, const std::string& folder,
                                       int box_id, std::stop_token stop) {
  auto source = FindToolSource(testdata_dir / folder, folder);
  if (!source.ok()) return Failure(source.status().message());
  const LanguageSpec* found = languages_.Find(source->language);
  if (found == nullptr)
    return FailedPreconditionError("this runner cannot build " + source->file + ": language " +
                                   std::to_string(static_cast<int>(source->language)) +
                                   " is not in its table (compiler not installed?)");
  const LanguageSpec& spec = *found;
  const fs::path build = testdata_dir / kBuildDirName;
  std::error_code ec;
  if (fs::is_directory(build / folder, ec))
    return ToolBuild{CompiledTool{build / folder, ExpandArgv(spec.run, spec, run_memory_kib_)}, ""};
  if (fs::is_regular_file(build / (folder + ".failed"), ec))
    return Failure(ReadFilePrefix(build / (folder + ".failed"), 64 * 1024));
  return Compile(testdata_dir, folder, spec, source->file, box_id, stop);
}

Result<ToolBuild> ToolCache::Compile(const fs::path& testdata_dir, const std::string& folder,
                                     const LanguageSpec& spec, const std::string& source,
                                     int box_id, std::stop_token stop) {
  const fs::path build = testdata_dir / kBuildDirName;
  const std::string temp_prefix = ".tmp-" + folder + "-";
  NOJ_RETURN_IF_ERROR(MakeDirs(build));
  RemoveTempDirs(build, temp_prefix);
  NOJ_ASSIGN_OR_RETURN(fs::path tmp, MakeUniqueDir(build, temp_prefix));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() { RemoveTree(dir).IgnoreError(); }  // best effort: the next compile sweeps
  } cleanup{tmp};
  CompileRun run{.argv = ExpandArgv(spec.compile, spec, limits_.memory_kib),
                 .src = tmp / "src",
                 .prog = tmp / "prog",
                 .io = tmp / "io",
                 .box_id = box_id,
                 .limits = limits_,
                 .env = spec.env,
                 .report_bytes = report_bytes_};
  for (const fs::path& dir : {run.src, run.prog}) {
    NOJ_RETURN_IF_ERROR(MakeDirs(dir));
    NOJ_RETURN_IF_ERROR(CopyFolderContents(testdata_dir / folder, dir));
    fs::path named = dir / spec.source;  // checker.cpp compiled as main.cpp
    if (source != spec.source) {
      std::error_code ec;
      fs::remove(named, ec);
      fs::rename(dir / source, named, ec);
      if (ec) return InternalError("cannot prepare " + named.string() + ": " + ec.message());
    }
    NOJ_RETURN_IF_ERROR(MakeReadableByBoxes(dir));
  }
  NOJ_RETURN_IF_ERROR(MakeDirs(run.io));
  auto started = std::chrono::steady_clock::now();
  if (!spec.compile.empty()) {
    CompileOutcome out = CompileMaybeCached(compile_cache_, executor_, run, spec, stop);
    if (stop.stop_requested()) return AbortedError("judging cancelled");
    if (out.kind == CompileOutcome::Kind::kSandboxError)
      return Failure("sandbox error while compiling the " + folder + ": " + out.message);
    if (out.kind == CompileOutcome::Kind::kFailed) {
      std::string failure = folder + " did not compile: " + out.message;
      // Same sources, same compiler: remembered for this version (written whole, then renamed).
      std::error_code ec;
      if (WriteFile(tmp / "failed", failure).ok())
        fs::rename(tmp / "failed", build / (folder + ".failed"), ec);  // else: compiled again
      NOJ_LOG_WARN("event=tool_compile_failed dir={} folder={}", testdata_dir.string(), folder);
      return Failure(std::move(failure));
    }
  }
  std::error_code ec;
  fs::rename(run.prog, build / folder, ec);
  if (ec) return InternalError("cannot install the " + folder + ": " + ec.message());
  NOJ_LOG_INFO("event=tool_compiled dir={} folder={} ms={}", testdata_dir.string(), folder,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
  return ToolBuild{CompiledTool{build / folder, ExpandArgv(spec.run, spec, run_memory_kib_)}, ""};
}

}  // namespace noj::runner
