// Output Limit Exceeded: the answer, then 128 MiB of debug output (the runner allows 64 MiB).
// Bounded on purpose: it stops at 128 MiB even where no limit is enforced.
#include <cstdio>
#include <cstring>

int main() {
  long long a = 0, b = 0;
  if (std::scanf("%lld %lld", &a, &b) != 2) return 0;
  std::printf("%lld\n", a + b);
  static char line[1 << 20];
  std::memset(line, 'x', sizeof line);
  for (int i = 0; i < 128; ++i)
    if (std::fwrite(line, 1, sizeof line, stdout) != sizeof line) break;
  return 0;
}
