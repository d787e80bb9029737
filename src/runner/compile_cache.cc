#include "runner/compile_cache.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/logging.h"
#include "runner/box_files.h"
#include "runner/compile_cache_entry.h"

namespace noj::runner {
namespace {

constexpr char kCacheTempPrefix[] = ".tmp-";
constexpr char kCacheTrashPrefix[] = ".trash-";

bool IsCacheKey(const std::string& name) {
  return name.size() == 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void RemoveCacheDirs(const std::vector<fs::path>& dirs) {
  for (const fs::path& d : dirs)
    if (Status s = RemoveTree(d); !s.ok())  // left for the next start's scan
      NOJ_LOG_WARN("event=compile_cache_remove_failed path={} error=\"{}\"", d.string(),
                   s.message());
}

}  // namespace

CompileCache::CompileCache(fs::path dir, uint64_t max_bytes, RunnerMetrics* metrics, DirLock lock)
    : dir_(std::move(dir)), max_bytes_(max_bytes), metrics_(metrics), lock_(std::move(lock)) {}

CompileCache::~CompileCache() = default;

Result<std::unique_ptr<CompileCache>> CompileCache::Open(const fs::path& dir, uint64_t max_bytes,
                                                         RunnerMetrics* metrics) {
  NOJ_RETURN_IF_ERROR(MakeDirs(dir));
  NOJ_ASSIGN_OR_RETURN(DirLock lock, DirLock::Acquire(dir));
  std::unique_ptr<CompileCache> cache(new CompileCache(dir, max_bytes, metrics, std::move(lock)));
  NOJ_RETURN_IF_ERROR(cache->Scan());
  cache->Report();
  return cache;
}

Status CompileCache::Scan() {
  struct Found {
    std::string key;
    uint64_t bytes;
    fs::file_time_type used;
  };
  std::vector<Found> found;
  std::vector<fs::path> victims;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    std::string name = e.path().filename().string();
    if (name.starts_with(kCacheTempPrefix) || name.starts_with(kCacheTrashPrefix)) {
      victims.push_back(e.path());  // half written, or half removed, when the runner stopped
      continue;
    }
    if (!IsCacheKey(name)) continue;  // not the cache's: left alone (.lock among them)
    auto m = ReadManifest(e.path());
    std::error_code time_ec;
    fs::file_time_type used = fs::last_write_time(e.path() / "manifest", time_ec);
    if (!m.ok() || time_ec) {
      victims.push_back(e.path());
      continue;
    }
    found.push_back({name, m->bytes, used});
  }
  if (ec) return InternalError("cannot scan " + dir_.string() + ": " + ec.message());
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.used < b.used; });
  {
    MutexLock lock(&mu_);
    for (const Found& f : found) {
      index_[f.key] = Entry{f.bytes, ++use_clock_};
      stats_.bytes += f.bytes;
    }
    stats_.entries = index_.size();
    std::vector<fs::path> evicted = EvictForRoomLocked();
    victims.insert(victims.end(), evicted.begin(), evicted.end());
  }
  RemoveCacheDirs(victims);
  NOJ_LOG_INFO("event=compile_cache_opened dir={} entries={} bytes={} removed={}", dir_.string(),
               found.size(), stats().bytes, victims.size());
  return Status::Ok();
}

CompileOutcome CompileCache::Compile(CaseExecutor& executor, const CompileRun& run,
                                     const LanguageSpec& spec, std::stop_token stop) {
  if (run.argv.empty()) return CompileInBox(executor, run, stop);
  auto key = CompileKey(spec, run, compilers_.Of(run.argv[0]));
  if (!key.ok()) {  // sources too large to hash, or unreadable: compiled as without a cache
    NOJ_LOG_WARN("event=compile_cache_bypassed error=\"{}\"", key.status().message());
    return CompileInBox(executor, run, stop);
  }
  std::shared_ptr<std::mutex> key_lock;
  {
    MutexLock guard(&mu_);
    auto& slot = locks_[*key];
    if (!slot) slot = std::make_shared<std::mutex>();
    key_lock = slot;
  }
  CompileOutcome out;
  {
    std::lock_guard held(*key_lock);
    if (TryHit(*key, run)) {
      out.kind = CompileOutcome::Kind::kOk;
      out.cached = true;
    } else {
      auto before = ListFilesBelow(run.prog);
      out = CompileInBox(executor, run, stop);
      {
        MutexLock guard(&mu_);
        ++stats_.misses;
      }
      if (metrics_) metrics_->CompileCacheEvent("miss");
      // Only a success is kept: a CE may be a compile that ran out of time on a loaded machine.
      if (out.kind == CompileOutcome::Kind::kOk && before.ok() && !stop.stop_requested())
        Store(*key, run, *before);
    }
  }
  {
    MutexLock guard(&mu_);
    if (auto it = locks_.find(*key); it != locks_.end() && it->second.use_count() == 2)
      locks_.erase(it);  // nobody else waits on it: the map stays as small as the work in flight
  }
  Report();
  return out;
}

bool CompileCache::TryHit(const std::string& key, const CompileRun& run) {
  {
    MutexLock guard(&mu_);
    if (!index_.contains(key)) return false;
  }
  const fs::path entry = dir_ / key;
  auto manifest = ReadManifest(entry);
  Status placed = manifest.ok() ? PlaceEntry(entry, *manifest, run.prog) : manifest.status();
  if (!placed.ok()) {
    bool corrupted =
        placed.code() == ErrorCode::kFailedPrecondition || placed.code() == ErrorCode::kNotFound;
    NOJ_LOG_WARN("event=compile_cache_entry_unusable key={} corrupted={} error=\"{}\"", key,
                 corrupted, placed.message());
    if (corrupted) Evict(key, true);  // never trusted: compiled again, and the entry replaced
    return false;
  }
  std::error_code ec;  // the last use survives a restart (Scan orders by it); best effort
  fs::last_write_time(entry / "manifest", fs::file_time_type::clock::now(), ec);
  {
    MutexLock guard(&mu_);
    if (auto it = index_.find(key); it != index_.end()) it->second.last_use = ++use_clock_;
    ++stats_.hits;
  }
  if (metrics_) metrics_->CompileCacheEvent("hit");
  return true;
}

void CompileCache::Store(const std::string& key, const CompileRun& run,
                         const std::vector<std::string>& before) {
  auto after = ListFilesBelow(run.prog);
  if (!after.ok()) return;
  std::vector<std::string> produced;  // both sorted: what the compile collected
  std::set_difference(after->begin(), after->end(), before.begin(), before.end(),
                      std::back_inserter(produced));
  auto tmp = MakeUniqueDir(dir_, kCacheTempPrefix);
  if (!tmp.ok()) {
    NOJ_LOG_WARN("event=compile_cache_store_failed error=\"{}\"", tmp.status().message());
    return;
  }
  auto manifest = WriteEntry(run.prog, produced, *tmp, max_bytes_);
  std::error_code ec;
  if (manifest.ok()) {
    RemoveTree(dir_ / key).IgnoreError();  // an unindexed leftover of that key, if any
    fs::rename(*tmp, dir_ / key, ec);
  }
  if (!manifest.ok() || ec) {
    RemoveTree(*tmp).IgnoreError();  // else swept at the next start
    NOJ_LOG_INFO("event=compile_cache_not_stored key={} error=\"{}\"", key,
                 manifest.ok() ? ec.message() : manifest.status().message());
    return;
  }
  std::vector<fs::path> victims;
  {
    MutexLock guard(&mu_);
    Entry& e = index_[key];
    stats_.bytes = stats_.bytes - e.bytes + manifest->bytes;
    e = Entry{manifest->bytes, ++use_clock_};
    stats_.entries = index_.size();
    victims = EvictForRoomLocked();
  }
  RemoveCacheDirs(victims);
}

void CompileCache::Evict(const std::string& key, bool corrupted) {
  fs::path victim;
  {
    MutexLock guard(&mu_);
    victim = MoveAsideLocked(key);
    ++stats_.evictions;
    if (corrupted) ++stats_.corrupted;
  }
  if (metrics_) metrics_->CompileCacheEvent(corrupted ? "corrupted" : "evicted");
  RemoveCacheDirs({victim});
}

std::vector<fs::path> CompileCache::EvictForRoomLocked() {
  std::vector<fs::path> out;
  while (stats_.bytes > max_bytes_) {
    auto oldest = index_.end();
    for (auto it = index_.begin(); it != index_.end(); ++it)
      if (!locks_.contains(it->first) &&  // in flight: being placed or replaced right now
          (oldest == index_.end() || it->second.last_use < oldest->second.last_use))
        oldest = it;
    if (oldest == index_.end()) break;  // everything in use: over the bound until it is not
    out.push_back(MoveAsideLocked(oldest->first));
    ++stats_.evictions;
    if (metrics_) metrics_->CompileCacheEvent("evicted");
  }
  return out;
}

fs::path CompileCache::MoveAsideLocked(std::string key) {
  if (auto it = index_.find(key); it != index_.end()) {
    stats_.bytes -= it->second.bytes;
    index_.erase(it);
    stats_.entries = index_.size();
  }
  // A rename is quick, so it is done under the lock; the removal is not, and is done after it.
  fs::path aside = dir_ / (kCacheTrashPrefix + key.substr(0, 16) + "-" +
                           crypto::Sha256Hex(crypto::RandomBytes(8)).substr(0, 12));
  std::error_code ec;
  fs::rename(dir_ / key, aside, ec);
  return ec ? dir_ / key : aside;
}

CompileCacheStats CompileCache::stats() const {
  MutexLock guard(&mu_);
  return stats_;
}

void CompileCache::Report() const {
  if (metrics_) metrics_->CompileCacheBytes(stats().bytes);
}

CompileOutcome CompileMaybeCached(CompileCache* cache, CaseExecutor& executor,
                                  const CompileRun& run, const LanguageSpec& spec,
                                  std::stop_token stop) {
  if (cache == nullptr) return CompileInBox(executor, run, stop);
  return cache->Compile(executor, run, spec, stop);
}

}  // namespace noj::runner
