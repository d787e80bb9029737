#include "runner/testdata_cache.h"

#include <cctype>
#include <vector>

#include "common/logging.h"
#include "runner/fs_util.h"
#include "runner/testdata_unpack.h"

namespace noj::runner {
namespace {

// The checksum names a directory: only short alphanumeric strings are acceptable.
bool IsSafeChecksum(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

bool IsTempName(const std::string& name) {
  return name.rfind(".tmp-", 0) == 0 || name.rfind(".trash-", 0) == 0;
}

}  // namespace

TestdataCache::TestdataCache(fs::path root, TestdataSource& source, RunnerMetrics* metrics)
    : root_(std::move(root)), source_(source), metrics_(metrics) {}

TestdataCache::Problem& TestdataCache::ProblemFor(int64_t problem_id) {
  MutexLock lock(&mu_);
  auto& p = problems_[problem_id];
  if (!p) p = std::make_unique<Problem>();
  return *p;
}

Result<TestdataHandle> TestdataCache::Get(int64_t problem_id, std::stop_token stop) {
  return Get(problem_id, TestdataVersion{}, stop);
}

Result<TestdataHandle> TestdataCache::Get(int64_t problem_id, const TestdataVersion& want,
                                          std::stop_token stop) {
  if (problem_id <= 0) return InvalidArgumentError("bad problem id");
  std::string checksum = want.checksum;
  if (checksum.empty()) {
    NOJ_ASSIGN_OR_RETURN(checksum, source_.Checksum(problem_id, stop));
  }
  if (!IsSafeChecksum(checksum))
    return InvalidArgumentError("server sent an unusable checksum for problem " +
                                std::to_string(problem_id));
  Problem& p = ProblemFor(problem_id);
  {
    MutexLock lock(&p.mu);
    auto got = GetLocked(p, problem_id, checksum, want.checksum.empty() ? 0 : want.version, stop);
    if (got.ok() || want.checksum.empty() || got.status().code() != ErrorCode::kFailedPrecondition)
      return got;
    // The source cannot serve that version (see TestdataSource::DownloadVersion): judge with the
    // current one, as a runner that knows no versions does.
    NOJ_LOG_WARN("event=testdata_version_unavailable problem={} version={} error=\"{}\"",
                 problem_id, want.version, got.status().message());
  }
  return Get(problem_id, TestdataVersion{}, stop);
}

Result<TestdataHandle> TestdataCache::GetLocked(Problem& p, int64_t problem_id,
                                                const std::string& checksum, int64_t version,
                                                std::stop_token stop) {
  fs::path problem_dir = root_ / std::to_string(problem_id);
  fs::path dir = problem_dir / checksum;
  bool hit = VerifyTestdataDir(dir, checksum);
  if (metrics_) metrics_->TestdataCache(hit);
  if (hit) {
    NOJ_LOG_DEBUG("event=testdata_hit problem={} checksum={}", problem_id, checksum);
    return MakeHandle(p, dir, checksum);
  }
  NOJ_LOG_INFO("event=testdata_download problem={} checksum={}", problem_id, checksum);
  NOJ_ASSIGN_OR_RETURN(TestdataDownload download,
                       version > 0 ? source_.DownloadVersion(problem_id, version, checksum, stop)
                                   : source_.Download(problem_id, checksum, stop));
  NOJ_RETURN_IF_ERROR(MakeDirs(problem_dir));
  NOJ_ASSIGN_OR_RETURN(fs::path tmp, MakeUniqueDir(problem_dir, ".tmp-"));
  Status unpacked = UnpackTestdata(download.zip, download.meta_json, tmp, checksum);
  if (!unpacked.ok()) {
    RemoveTree(tmp).IgnoreError();  // best effort: Sweep removes leftovers later
    return unpacked;
  }
  std::error_code ec;
  if (fs::exists(dir, ec)) {  // a corrupt version: move it aside, then replace it
    fs::path trash = problem_dir / (".trash-" + checksum);
    RemoveTree(trash).IgnoreError();
    fs::rename(dir, trash, ec);
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    RemoveTree(tmp).IgnoreError();
    return InternalError("cannot install testdata into " + dir.string() + ": " + ec.message());
  }
  auto handle = MakeHandle(p, dir, checksum);
  Sweep(p, problem_dir, checksum);
  return handle;
}

Result<TestdataHandle> TestdataCache::MakeHandle(Problem& p, const fs::path& dir,
                                                 const std::string& checksum) {
  if (TestdataHandle alive = p.handles[checksum].lock()) return alive;
  NOJ_ASSIGN_OR_RETURN(std::string meta_text, ReadFile(dir / kMetaName, 16 << 20));
  auto meta = api::ProblemMetaFromText(meta_text);
  if (!meta.ok()) return InvalidArgumentError("problem meta: " + meta.status().message());
  auto handle = std::make_shared<const TestdataDir>(
      TestdataDir{dir, checksum, std::move(meta).value(), DetectPackageKind(dir)});
  p.handles[checksum] = handle;
  return handle;
}

void TestdataCache::Sweep(Problem& p, const fs::path& problem_dir, const std::string& keep) {
  std::error_code ec;
  std::vector<std::string> names;  // collected first: no removal while iterating
  for (const auto& entry : fs::directory_iterator(problem_dir, ec))
    names.push_back(entry.path().filename().string());
  for (const std::string& name : names) {
    if (name == keep) continue;
    auto it = p.handles.find(name);
    if (!IsTempName(name) && it != p.handles.end() && !it->second.expired()) continue;
    if (it != p.handles.end()) p.handles.erase(it);
    Status removed = RemoveTree(problem_dir / name);
    if (!removed.ok()) NOJ_LOG_WARN("event=testdata_sweep_failed error=\"{}\"", removed.message());
  }
}

}  // namespace noj::runner
