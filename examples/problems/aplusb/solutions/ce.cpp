// Compile Error: `sum` is never declared.
#include <iostream>

int main() {
  long long a = 0, b = 0;
  std::cin >> a >> b;
  std::cout << sum << '\n';
}
