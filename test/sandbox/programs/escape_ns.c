// unshare(CLONE_NEWUSER) and friends, clone with namespace flags, mount, and a 32-bit system
// call through int 0x80. Prints "all blocked" and exits 0 when all failed; prints what worked,
// "WRONG", and exits 1 otherwise.
//
// The foreign ABI is blocked in one of several ways, all of which count as contained: a seccomp
// filter that returns an error (EPERM, ENOSYS) or kills the caller (SIGSYS), or a kernel without
// IA32 emulation (or with it disabled), where int 0x80 faults (SIGSEGV). So the call is made in
// a forked child that reports through a pipe: death by a signal or a negative return is
// contained; a positive return (the pid getpid answers) is a breach; anything else (no fork, no
// report) is inconclusive and fails too.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int Child(void* arg) {
  (void)arg;
  return 0;
}

// i386 getpid (20) through the 32-bit entry.
static long ForeignGetpid(void) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
  return r;
}

// 0 when the foreign ABI is contained, 1 when it is not or the probe failed.
static int ProbeForeignAbi(void) {
  int fds[2];
  if (pipe(fds) != 0) {
    perror("int 0x80 probe: pipe");
    return 1;
  }
  fflush(stdout);  // the child must not flush our buffered lines a second time
  pid_t pid = fork();
  if (pid < 0) {
    perror("int 0x80 probe: fork");
    return 1;
  }
  if (pid == 0) {
    close(fds[0]);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // a fault here is expected: no core file
    long r = ForeignGetpid();
    _exit(write(fds[1], &r, sizeof r) == (ssize_t)sizeof r ? 0 : 3);
  }
  close(fds[1]);
  long r = 0;
  ssize_t got = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status;
  if (waitpid(pid, &status, 0) != pid) {
    perror("int 0x80 probe: waitpid");
    return 1;
  }
  if (got == (ssize_t)sizeof r && r > 0) {
    printf("int 0x80 getpid = %ld\n", r);
    return 1;
  }
  if (got == (ssize_t)sizeof r && r < 0 && r >= -4095) {
    printf("int 0x80 refused: %s\n", strerror((int)-r));
    return 0;
  }
  if (WIFSIGNALED(status)) {
    printf("int 0x80 killed the caller: %s\n", strsignal(WTERMSIG(status)));
    return 0;
  }
  printf("int 0x80 probe inconclusive (status %d, %zd bytes reported)\n", status, got);
  return 1;
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
  bad += ProbeForeignAbi();
  printf(bad ? "WRONG\n" : "all blocked\n");
  return bad ? 1 : 0;
}
