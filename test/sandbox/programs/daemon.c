// setsid + double fork: the grandchild (a daemon) keeps appending to /box/daemon.log; the
// program exits 0 as soon as the daemon has written its first line.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child < 0) return 2;
  if (child > 0) {
    struct stat st;
    for (int i = 0; i < 400; ++i) {
      if (stat("/box/daemon.log", &st) == 0 && st.st_size > 0) return 0;
      usleep(5000);
    }
    return 1;  // the daemon never started
  }
  setsid();
  if (fork() != 0) _exit(0);
  for (;;) {
    int fd = open("/box/daemon.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      if (write(fd, "alive\n", 6) < 0) _exit(3);
      close(fd);
    }
    usleep(20000);
  }
}
