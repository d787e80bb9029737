// Interactive A+B, written to testlib's conventions without testlib.h (judging.md §4):
//   interactor <input> <tout>
// <input>: n, then n lines "a b". The interactor sends n, then each pair, and reads the
// program's answer after each one (a round trip). Every answer is written to <tout>, one per
// line, so a checker could compare it with the case's .out (the expected sums).
// Exit status: 0 ok, 1 wrong answer (also an answer missing: the program ended early), 3 the
// input is bad (judge's fault). The message goes to stderr, as testlib's quitf does.

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace {

FILE* tout = nullptr;

[[noreturn]] void Quit(int status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
  if (tout != nullptr) std::fclose(tout);
  std::exit(status);
}

constexpr int kOk = 0, kWrongAnswer = 1, kFail = 3;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) Quit(kFail, "FAIL usage: interactor <input> <tout>");
  FILE* input = std::fopen(argv[1], "r");
  if (input == nullptr) Quit(kFail, "FAIL cannot open the input %s", argv[1]);
  tout = std::fopen(argv[2], "w");
  if (tout == nullptr) Quit(kFail, "FAIL cannot create %s", argv[2]);
  long n = 0;
  if (std::fscanf(input, "%ld", &n) != 1 || n < 1 || n > 1000000) Quit(kFail, "FAIL bad n");
  std::printf("%ld\n", n);
  std::fflush(stdout);
  for (long i = 1; i <= n; ++i) {
    long long a = 0, b = 0;
    if (std::fscanf(input, "%lld %lld", &a, &b) != 2) Quit(kFail, "FAIL pair %ld missing", i);
    std::printf("%lld %lld\n", a, b);
    std::fflush(stdout);
    long long answer = 0;
    if (std::scanf("%lld", &answer) != 1)
      Quit(kWrongAnswer, "wrong answer: answer %ld of %ld missing (unexpected end of file)", i, n);
    std::fprintf(tout, "%lld\n", answer);
    if (answer != a + b)
      Quit(kWrongAnswer, "wrong answer: answer %ld is %lld, expected %lld", i, answer, a + b);
  }
  Quit(kOk, "ok %ld answers", n);
}
