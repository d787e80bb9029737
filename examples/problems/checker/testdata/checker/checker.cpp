// Checker of "Split n": the contestant prints two positive integers a, b with a + b = n; the
// product a * b should be as large as possible. Invoked testlib's way:
//   checker <input> <contestant output> <expected output>
// Full marks for a maximal product, half the points for any other valid split, WA otherwise.
// The expected output holds the maximal product; a wrong one is the test data's fault (FAIL).
#include <cstdio>

#include "check_util.h"

int main(int argc, char** argv) {
  if (argc != 4) quitf_fail("usage: checker input output answer");
  long long n = 0, best = 0;
  FILE* in = open_or_fail(argv[1]);
  FILE* ans = open_or_fail(argv[3]);
  if (std::fscanf(in, "%lld", &n) != 1 || n < 2) quitf_fail("bad input");
  if (std::fscanf(ans, "%lld", &best) != 1) quitf_fail("bad answer file");
  if (best != (n / 2) * (n - n / 2)) quitf_fail("answer file says %lld for n = %lld", best, n);
  FILE* out = open_or_fail(argv[2]);
  long long a = 0, b = 0;
  char extra[2];
  if (std::fscanf(out, "%lld %lld", &a, &b) != 2) quitf_pe("expected two integers");
  if (std::fscanf(out, "%1s", extra) == 1) quitf_pe("extra output after the two integers");
  if (a < 1 || b < 1) quitf_wa("%lld and %lld are not both positive", a, b);
  if (a >= n || b >= n) quitf_wa("%lld + %lld is more than %lld", a, b, n);
  if (a + b != n) quitf_wa("%lld + %lld is not %lld", a, b, n);
  if (a * b == best) quitf_ok("%lld * %lld = %lld is maximal", a, b, best);
  quitp(0.5, "a valid split whose product is not maximal");
}
