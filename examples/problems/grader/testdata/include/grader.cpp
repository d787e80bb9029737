// The C++ grader: owns main() and the I/O, calls the contestant's add() from main.cpp. Compiled
// with it (C++ compiles every *.cpp next to the source).
#include <cstdio>

#include "solution.h"

int main() {
  int q = 0;
  if (std::scanf("%d", &q) != 1) return 1;
  for (int i = 0; i < q; ++i) {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    std::printf("%lld\n", add(a, b));
  }
}
