// Writes 1 GiB to stdout.
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[1 << 16];
  memset(buf, 'x', sizeof buf);
  for (long written = 0; written < (1L << 30); written += (long)sizeof buf) {
    if (write(1, buf, sizeof buf) < 0) return 1;
  }
  return 0;
}
