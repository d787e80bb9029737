// Spins until this process has used argv[1] ms of CPU time.
#include <stdlib.h>
#include <time.h>

int main(int argc, char** argv) {
  long ms = argc > 1 ? atol(argv[1]) : 200;
  struct timespec ts;
  volatile unsigned long n = 0;
  do {
    for (int i = 0; i < 100000; ++i) ++n;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  } while (ts.tv_sec * 1000L + ts.tv_nsec / 1000000 < ms);
  return 0;
}
