#pragma once
// Lock annotations the compiler checks (clang's -Wthread-safety, the fuzz build's lane), after
// LevelDB's port/thread_annotations.h and Abseil's Mutex. g++ ignores them.
//
// Use noj::Mutex and noj::MutexLock (std::mutex does not carry the capability attribute):
//
//   class Cache {
//     noj::Mutex mu_;
//     std::map<int, int> items_ GUARDED_BY(mu_);
//     void Evict() REQUIRES(mu_);
//   };
//   noj::MutexLock lock(&mu_);

#include <mutex>

#if defined(__clang__)
#define NOJ_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define NOJ_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) NOJ_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY NOJ_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) NOJ_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) NOJ_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_AFTER(...) NOJ_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) NOJ_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) NOJ_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) NOJ_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) NOJ_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) NOJ_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define RETURN_CAPABILITY(x) NOJ_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS NOJ_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace noj {

// std::mutex with the capability attribute. Also a BasicLockable, so std::condition_variable_any
// can wait on it (or use native() with std::unique_lock for a std::condition_variable).
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Tells the analysis the caller holds it (e.g. inside a condition variable's predicate).
  void AssertHeld() const NOJ_THREAD_ANNOTATION(assert_capability(this)) {}
  // For std::unique_lock<std::mutex> + std::condition_variable; the analysis cannot follow it.
  std::mutex& native() RETURN_CAPABILITY(this) { return mu_; }

 private:
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->lock(); }
  ~MutexLock() RELEASE() { mu_->unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* mu_;
};

}  // namespace noj
