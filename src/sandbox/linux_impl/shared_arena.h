#pragma once
// SharedArena: memory the supervisor shares with a warm box's init (MAP_SHARED, mapped before
// the init is cloned, so both see it at the same address). The supervisor writes a case's plan
// here after the init was prepared; the init, woken by the go message, reads it with raw code.
// Nothing but the supervisor and its inits map it: a program's execve drops the mapping.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace noj::sandbox::linux_impl {

class SharedArena {
 public:
  // Untouched pages cost nothing (MAP_NORESERVE).
  static Result<SharedArena> Create(size_t bytes);
  SharedArena(SharedArena&& other) noexcept;
  SharedArena& operator=(SharedArena&&) = delete;
  SharedArena(const SharedArena&) = delete;
  SharedArena& operator=(const SharedArena&) = delete;
  ~SharedArena();

  void Reset() { used_ = 0; }
  // nullptr when the arena is full.
  void* Allocate(size_t bytes, size_t align);
  template <typename T>
  T* New(size_t count = 1) {
    void* p = Allocate(sizeof(T) * count, alignof(T));
    return p == nullptr ? nullptr : new (p) T[count]();
  }
  const char* Copy(std::string_view text);
  // A NULL-terminated array of copies; nullptr when full.
  char* const* CopyArray(const std::vector<std::string>& strings);

 private:
  SharedArena(char* base, size_t size) : base_(base), size_(size) {}
  char* base_ = nullptr;
  size_t size_ = 0;
  size_t used_ = 0;
};

}  // namespace noj::sandbox::linux_impl
