#include "runner/owned_fd.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace noj::runner {
namespace {

// A runner started with a closed stdin could get 0..2 from pipe2: move such an end up.
Status LiftAboveStdio(OwnedFd& fd) {
  if (fd.get() >= 3) return Status::Ok();
  int lifted = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (lifted < 0) return InternalError(std::string("fcntl F_DUPFD_CLOEXEC: ") + strerror(errno));
  fd.Reset(lifted);
  return Status::Ok();
}

}  // namespace

Result<Pipe> MakePipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return InternalError(std::string("pipe2: ") + strerror(errno));
  Pipe pipe{OwnedFd(p[0]), OwnedFd(p[1])};
  NOJ_RETURN_IF_ERROR(LiftAboveStdio(pipe.read));
  NOJ_RETURN_IF_ERROR(LiftAboveStdio(pipe.write));
  return pipe;
}

}  // namespace noj::runner
