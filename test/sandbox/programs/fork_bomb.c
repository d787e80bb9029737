// while (1) fork(); — reports the first failed fork (the pids limit) on stdout.
#include <string.h>
#include <unistd.h>

int main(void) {
  int reported = 0;
  for (;;) {
    if (fork() < 0 && !reported) {
      const char msg[] = "fork failed\n";
      if (write(1, msg, strlen(msg)) > 0) reported = 1;
    }
  }
}
