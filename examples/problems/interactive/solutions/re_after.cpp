// Runtime error: answers everything right, then crashes. The interactor accepted, so the
// program's own failure decides (judging.md §4: the program's RE before the interactor's verdict).
#include <cstdio>
#include <cstdlib>
int main() {
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b);
    std::fflush(stdout);
  }
  std::abort();
}
