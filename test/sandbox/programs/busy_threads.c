// Four threads spinning forever.
#include <pthread.h>

static void* Spin(void* arg) {
  volatile unsigned long* n = arg;
  for (;;) ++*n;
  return NULL;
}

int main(void) {
  static volatile unsigned long counters[4];
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) {
    if (pthread_create(&t[i], NULL, Spin, (void*)&counters[i]) != 0) return 2;
  }
  pthread_join(t[0], NULL);
  return 0;
}
