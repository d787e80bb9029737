// Allocates and touches 1 GiB.
#include <stdlib.h>
#include <string.h>

int main(void) {
  size_t size = (size_t)1 << 30;
  char* p = malloc(size);
  if (p == NULL) return 3;
  for (size_t i = 0; i < size; i += 4096) p[i] = 1;
  return p[size / 2] == 1 ? 0 : 4;
}
