// Time Limit Exceeded: right answer, but spins for 10 s of CPU time first (1 s allowed).
// Bounded on purpose: even outside a sandbox it ends by itself.
#include <ctime>
#include <iostream>

int main() {
  long long a = 0, b = 0;
  std::cin >> a >> b;
  volatile unsigned long long spins = 0;
  while (std::clock() < 10 * CLOCKS_PER_SEC) ++spins;
  std::cout << a + b << '\n';
}
