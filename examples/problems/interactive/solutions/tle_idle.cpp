// Time limit by idleness: never flushes, so its answer stays in its buffer while it waits for
// the next pair and the interactor waits for the answer. Uses no CPU; the wall limit ends it.
#include <cstdio>
int main() {
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b);  // no fflush: stdout to a pipe is fully buffered
  }
}
