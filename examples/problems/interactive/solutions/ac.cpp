// Accepted: answers each pair and flushes before reading the next one.
#include <cstdio>
int main() {
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b);
    std::fflush(stdout);
  }
}
