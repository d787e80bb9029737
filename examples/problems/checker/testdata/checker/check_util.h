// A few helpers in testlib's spirit (quitf, quitp, readers), written for this example: a checker
// ships what it includes next to it in checker/.
#pragma once
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

// testlib's exit statuses (judging.md §3).
enum { kOk = 0, kWrongAnswer = 1, kPresentationError = 2, kFail = 3, kPoints = 7 };

static void quit(int status, const char* prefix, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs(prefix, stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
  exit(status);
}

#define quitf_ok(...) quit(kOk, "ok ", __VA_ARGS__)
#define quitf_wa(...) quit(kWrongAnswer, "wrong answer ", __VA_ARGS__)
#define quitf_pe(...) quit(kPresentationError, "wrong output format ", __VA_ARGS__)
#define quitf_fail(...) quit(kFail, "FAIL ", __VA_ARGS__)

// testlib's quitp: "points <p> <message>" on stderr, exit status 7.
static void quitp(double points, const char* message) {
  fprintf(stderr, "points %.6f %s\n", points, message);
  exit(kPoints);
}

static FILE* open_or_fail(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) quitf_fail("cannot open %s", path);
  return f;
}
