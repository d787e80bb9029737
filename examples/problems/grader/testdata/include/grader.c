/* The C grader: C compiles every *.c next to the source. */
#include <stdio.h>

#include "solution.h"

int main(void) {
  int q = 0;
  if (scanf("%d", &q) != 1) return 1;
  for (int i = 0; i < q; ++i) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", add(a, b));
  }
  return 0;
}
