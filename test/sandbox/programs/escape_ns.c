// unshare(CLONE_NEWUSER) and friends, clone with namespace flags, mount, and a 32-bit system
// call through int 0x80. Exit 0 when all failed.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static int Child(void* arg) {
  (void)arg;
  return 0;
}

int main(void) {
  int bad = 0;
  if (unshare(CLONE_NEWUSER) == 0) {
    printf("unshare(CLONE_NEWUSER) worked\n");
    ++bad;
  }
  if (unshare(CLONE_NEWNS) == 0 || unshare(CLONE_NEWNET) == 0) {
    printf("unshare worked\n");
    ++bad;
  }
  static char stack[65536];
  if (clone(Child, stack + sizeof stack, CLONE_NEWUSER | SIGCHLD, NULL) >= 0) {
    printf("clone(CLONE_NEWUSER) worked\n");
    ++bad;
  }
  if (mount("none", "/tmp", "tmpfs", 0, NULL) == 0) {
    printf("mount worked\n");
    ++bad;
  }
  long r;
  // i386 getpid (20) through the 32-bit entry: a foreign ABI, must be refused.
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
  if (r > 0) {
    printf("int 0x80 getpid = %ld\n", r);
    ++bad;
  }
  printf(bad ? "WRONG\n" : "all blocked\n");
  return bad ? 1 : 0;
}
