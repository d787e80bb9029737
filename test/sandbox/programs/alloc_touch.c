// Allocates argv[1] MiB, touches every page, holds it briefly, exits 0.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 64;
  char* p = malloc(mib << 20);
  if (p == NULL) return 3;
  memset(p, 1, mib << 20);
  usleep(20000);
  return p[(mib << 20) - 1] == 1 ? 0 : 4;
}
