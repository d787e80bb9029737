// Tries to read every path given on the command line (plus /etc/shadow); prints each one that
// could be opened. Exit 0 only if none could.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int leaked = 0;
  const char* fixed[] = {"/etc/shadow", "/etc/passwd", "/proc/1/root/etc/shadow", "/proc/1/environ",
                         "/root/.bashrc"};
  for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; ++i) {
    int fd = open(fixed[i], O_RDONLY);
    if (fd >= 0) {
      printf("readable: %s\n", fixed[i]);
      ++leaked;
      close(fd);
    }
  }
  for (int i = 1; i < argc; ++i) {
    int fd = open(argv[i], O_RDONLY);
    if (fd >= 0) {
      printf("readable: %s\n", argv[i]);
      ++leaked;
      close(fd);
    }
  }
  printf(leaked ? "LEAKED\n" : "all blocked\n");
  return leaked ? 1 : 0;
}
