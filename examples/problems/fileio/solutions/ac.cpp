// Reads k from stdin and the numbers of numbers.txt; writes k * their sum to sum.txt and prints
// how many numbers there were.
#include <cstdio>
int main() {
  long long k, x, sum = 0, count = 0;
  std::scanf("%lld", &k);
  FILE* in = std::fopen("numbers.txt", "r");
  if (!in) return 1;
  while (std::fscanf(in, "%lld", &x) == 1) sum += x, ++count;
  FILE* out = std::fopen("sum.txt", "w");
  if (!out) return 2;
  std::fprintf(out, "%lld\n", k * sum);
  std::fclose(out);
  std::printf("%lld\n", count);
}
