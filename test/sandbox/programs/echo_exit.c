// Copies stdin to stdout, then exits with argv[1] (or raises signal argv[2] if given).
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  char buf[4096];
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    if (write(1, buf, (size_t)n) != n) return 9;
  }
  if (write(2, "to stderr\n", 10) != 10) return 9;
  if (argc > 2) raise(atoi(argv[2]));
  return argc > 1 ? atoi(argv[1]) : 0;
}
