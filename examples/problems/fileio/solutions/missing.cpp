// Prints the count but never writes sum.txt: WA, "missing output file sum.txt".
#include <cstdio>
int main() {
  long long x, count = 0;
  FILE* in = std::fopen("numbers.txt", "r");
  if (!in) return 1;
  while (std::fscanf(in, "%lld", &x) == 1) ++count;
  std::printf("%lld\n", count);
}
