#include <cstdio>
int main() {
  long long n;
  std::scanf("%lld", &n);
  std::printf("%lld %lld\n", n, n);  // the sum is 2n
}
