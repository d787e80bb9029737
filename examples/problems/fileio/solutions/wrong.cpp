// Forgets k: sum.txt is wrong (stdout is right).
#include <cstdio>
int main() {
  long long x, sum = 0, count = 0;
  FILE* in = std::fopen("numbers.txt", "r");
  if (!in) return 1;
  while (std::fscanf(in, "%lld", &x) == 1) sum += x, ++count;
  FILE* out = std::fopen("sum.txt", "w");
  if (!out) return 2;
  std::fprintf(out, "%lld\n", sum);
  std::fclose(out);
  std::printf("%lld\n", count);
}
