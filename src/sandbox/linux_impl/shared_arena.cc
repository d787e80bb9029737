#include "sandbox/linux_impl/shared_arena.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

Result<SharedArena> SharedArena::Create(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return ErrnoStatus("mmap of the shared arena", errno);
  return SharedArena(static_cast<char*>(p), bytes);
}

SharedArena::SharedArena(SharedArena&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      used_(std::exchange(other.used_, 0)) {}

SharedArena::~SharedArena() {
  if (base_ != nullptr) ::munmap(base_, size_);
}

void* SharedArena::Allocate(size_t bytes, size_t align) {
  size_t start = (used_ + align - 1) / align * align;
  if (start > size_ || bytes > size_ - start) return nullptr;
  used_ = start + bytes;
  return base_ + start;
}

const char* SharedArena::Copy(std::string_view text) {
  char* p = static_cast<char*>(Allocate(text.size() + 1, 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return p;
}

char* const* SharedArena::CopyArray(const std::vector<std::string>& strings) {
  char** array = New<char*>(strings.size() + 1);
  if (array == nullptr) return nullptr;
  for (size_t i = 0; i < strings.size(); ++i) {
    const char* copy = Copy(strings[i]);
    if (copy == nullptr) return nullptr;
    array[i] = const_cast<char*>(copy);
  }
  array[strings.size()] = nullptr;
  return array;
}

}  // namespace noj::sandbox::linux_impl
