// Creates files everywhere: only /box and /tmp may work. Exit 0 when exactly those did.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int Try(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  close(fd);
  return 1;
}

int main(void) {
  const char* denied[] = {"/x",     "/usr/x", "/usr/bin/x", "/etc/x", "/dev/x", "/proc/x",
                          "/bin/x", "/lib/x", "/run/x",     "/sys/x", "/root/x"};
  int bad = 0;
  for (unsigned i = 0; i < sizeof denied / sizeof denied[0]; ++i) {
    if (Try(denied[i])) {
      printf("created: %s\n", denied[i]);
      ++bad;
    }
  }
  if (mkdir("/newdir", 0755) == 0) {
    printf("created: /newdir\n");
    ++bad;
  }
  if (!Try("/box/ok.txt")) {
    printf("cannot write /box\n");
    ++bad;
  }
  if (!Try("/tmp/ok.txt")) {
    printf("cannot write /tmp\n");
    ++bad;
  }
  printf(bad ? "WRONG\n" : "as expected\n");
  return bad ? 1 : 0;
}
