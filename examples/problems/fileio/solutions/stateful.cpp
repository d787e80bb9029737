// Tries to carry state from one case to the next: it leaves seen.txt in its working directory
// and in /tmp, and answers wrong if it finds either (left by an earlier case). Every case starts
// in a fresh directory with a fresh /tmp, so it never does: AC. It also answers wrong when it
// cannot write them (an AC proves both the writing and the forgetting), or when it can change
// the package's numbers.txt (read-only).
#include <cstdio>
#include <unistd.h>
int main() {
  long long k, x, sum = 0, count = 0;
  std::scanf("%lld", &k);
  bool seen = access("seen.txt", F_OK) == 0 || access("/tmp/seen.txt", F_OK) == 0;
  FILE* a = std::fopen("seen.txt", "w");
  FILE* b = std::fopen("/tmp/seen.txt", "w");
  bool wrote = a && b && std::fputs("1", a) >= 0 && std::fputs("1", b) >= 0;
  bool changed_input = std::fopen("numbers.txt", "a") != nullptr;
  FILE* in = std::fopen("numbers.txt", "r");
  if (!in) return 1;
  while (std::fscanf(in, "%lld", &x) == 1) sum += x, ++count;
  FILE* out = std::fopen("sum.txt", "w");
  if (!out) return 2;
  std::fprintf(out, "%lld\n", k * sum + (seen || !wrote || changed_input ? 1 : 0));
  std::fclose(out);
  std::printf("%lld\n", count);
}
