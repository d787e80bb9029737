#pragma once
// OwnedFd: one file descriptor of the runner, closed on destruction. The runner is
// multi-threaded and spawns helpers concurrently, so every descriptor it makes is close-on-exec;
// a child gets one only when its spawn names it (ChildOptions::pass_fds).

#include <unistd.h>

#include <utility>

#include "common/status.h"

namespace noj::runner {

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& o) noexcept {
    if (this != &o) Reset(std::exchange(o.fd_, -1));
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { Reset(); }

  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  OwnedFd read;
  OwnedFd write;
};

// A close-on-exec pipe whose two ends are >= 3, so they can be passed to a child next to the
// stdio it gets (0..2). kInternal when the system is out of descriptors.
Result<Pipe> MakePipe();

}  // namespace noj::runner
