// Wrong answer: answers the first pair and leaves; the interactor finds the next answer missing
// (or dies of the broken pipe writing the next pair): its WA decides, not the program's exit.
#include <cstdio>
int main() {
  long n;
  long long a, b;
  if (std::scanf("%ld %lld %lld", &n, &a, &b) != 3) return 1;
  std::printf("%lld\n", a + b);
  std::fflush(stdout);
  return 0;
}
