// Wrong Answer on task 1 only (score 40): `int` overflows on its large numbers; task 0's small
// numbers still pass.
#include <cstdio>

int main() {
  int a = 0, b = 0;
  if (std::scanf("%d %d", &a, &b) != 2) return 0;
  std::printf("%d\n", a + b);
}
