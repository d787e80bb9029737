// Wrong answer: the second answer is off by one; the interactor gives up there.
#include <cstdio>
int main() {
  long n;
  if (std::scanf("%ld", &n) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", a + b + (i == 1));
    std::fflush(stdout);
  }
}
