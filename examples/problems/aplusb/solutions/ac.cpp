// Accepted: 64-bit integers hold every sum of the tests.
#include <iostream>

int main() {
  long long a = 0, b = 0;
  std::cin >> a >> b;
  std::cout << a + b << '\n';
}
