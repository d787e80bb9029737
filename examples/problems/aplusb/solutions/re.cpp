// Runtime Error: an off-by-one index; vector::at throws, the uncaught exception aborts.
#include <iostream>
#include <vector>

int main() {
  std::vector<long long> v(2);
  std::cin >> v[0] >> v[1];
  long long sum = 0;
  for (size_t i = 0; i <= v.size(); ++i) sum += v.at(i);
  std::cout << sum << '\n';
}
