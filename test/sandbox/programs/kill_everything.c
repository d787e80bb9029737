// kill(-1, SIGKILL), kill the parent, kill PID 1 and the process group: none may harm anything
// outside the box. Prints what each call returned; survives to exit 0.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  signal(SIGTERM, SIG_IGN);
  printf("ppid %d\n", (int)getppid());
  int r1 = kill(-1, SIGKILL);
  printf("kill(-1) = %d (%s)\n", r1, r1 ? strerror(errno) : "ok");
  int r2 = kill(getppid(), SIGKILL);
  printf("kill(ppid) = %d (%s)\n", r2, r2 ? strerror(errno) : "ok");
  int r3 = kill(1, SIGKILL);
  printf("kill(1) = %d (%s)\n", r3, r3 ? strerror(errno) : "ok");
  printf("survived\n");
  return 0;
}
