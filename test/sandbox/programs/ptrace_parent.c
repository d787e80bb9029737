// ptrace and process_vm_readv against the parent and PID 1. Exit 0 when all failed.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
  int bad = 0;
  pid_t targets[] = {getppid(), 1};
  for (int i = 0; i < 2; ++i) {
    if (ptrace(PTRACE_ATTACH, targets[i], 0, 0) == 0) {
      printf("attached to %d\n", (int)targets[i]);
      ++bad;
    }
    char buf[16];
    struct iovec local = {buf, sizeof buf};
    struct iovec remote = {(void*)0x400000, sizeof buf};
    if (process_vm_readv(targets[i], &local, 1, &remote, 1, 0) >= 0) {
      printf("read memory of %d\n", (int)targets[i]);
      ++bad;
    }
  }
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0) {
    printf("traceme worked\n");
    ++bad;
  }
  printf(bad ? "WRONG\n" : "all blocked\n");
  return bad ? 1 : 0;
}
