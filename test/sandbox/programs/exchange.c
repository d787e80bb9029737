// Two boxes trying to pass data to each other, for the isolation tests.
//   exchange publish SECRET MS   publishes SECRET through every channel below, checks that
//                                it can see its own publications (so a "nothing" from the
//                                seeker means something), leaves an SCM_RIGHTS cycle behind
//                                (a socket that outlives the process), then stays MS ms.
//   exchange seek MS             looks for anything published by another box for MS ms.
// Channels: abstract and path unix socket names (and /proc/net/unix, which lists them),
// SysV shared memory and message queues at a fixed key, files in /tmp, /dev/shm and /box.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define KEY 0x6e6f6a78
#define TAG "noj-x-"

struct Msg {
  long type;
  char text[64];
};

static long NowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int BindName(const char* name, int abstract) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) return -1;
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  socklen_t len;
  if (abstract) {
    snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "%s", name);
    len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
  } else {
    snprintf(a.sun_path, sizeof a.sun_path, "%s", name);
    len = sizeof a;
  }
  if (bind(s, (struct sockaddr*)&a, len) != 0 || listen(s, 1) != 0) return -1;
  return s;
}

// A unix socket that holds a reference to itself in flight: it outlives this process until
// the kernel's garbage collector finds the cycle.
static int LeaveCycle(const char* secret) {
  char name[96];
  snprintf(name, sizeof name, TAG "cycle-%s", secret);
  int s = BindName(name, 1);
  int pair[2];
  if (s < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0) return -1;
  char byte = 'x';
  struct iovec iov = {&byte, 1};
  char control[CMSG_SPACE(3 * sizeof(int))];
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = sizeof control;
  struct cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(3 * sizeof(int));
  int fds[3] = {s, pair[0], pair[1]};
  memcpy(CMSG_DATA(c), fds, sizeof fds);
  return sendmsg(pair[0], &m, 0) == 1 ? 0 : -1;
}

static int DirHas(const char* dir, char* found, size_t n) {
  DIR* d = opendir(dir);
  if (!d) return 0;
  struct dirent* e;
  int hit = 0;
  while ((e = readdir(d)) != NULL) {
    if (strstr(e->d_name, TAG)) {
      snprintf(found, n, "%s/%s", dir, e->d_name);
      hit = 1;
    }
  }
  closedir(d);
  return hit;
}

static int ProcNetUnixHas(char* found, size_t n) {
  FILE* f = fopen("/proc/net/unix", "r");
  if (!f) return 0;
  char line[512];
  int hit = 0;
  while (fgets(line, sizeof line, f)) {
    char* t = strstr(line, TAG);
    if (t) {
      t[strcspn(t, "\n")] = 0;
      snprintf(found, n, "/proc/net/unix %s", t);
      hit = 1;
    }
  }
  fclose(f);
  return hit;
}

// One look through every channel; 1 and `found` set when anything is there.
static int Look(char* found, size_t n) {
  if (ProcNetUnixHas(found, n)) return 1;
  if (DirHas("/tmp", found, n) || DirHas("/dev/shm", found, n) || DirHas("/box", found, n)) {
    return 1;
  }
  int shm = shmget(KEY, 0, 0);
  if (shm >= 0) {
    char* p = shmat(shm, NULL, SHM_RDONLY);
    snprintf(found, n, "shm %s", p == (void*)-1 ? "(attach failed)" : p);
    return 1;
  }
  int q = msgget(KEY, 0);
  if (q >= 0) {
    snprintf(found, n, "msg queue %d", q);
    return 1;
  }
  return 0;
}

static int Publish(const char* secret, long ms) {
  char name[128], found[256];
  snprintf(name, sizeof name, TAG "%s", secret);
  int ok = 1;
  if (BindName(name, 1) < 0) ok = 0, printf("abstract bind failed: %s\n", strerror(errno));
  snprintf(name, sizeof name, "/tmp/" TAG "%s.sock", secret);
  if (BindName(name, 0) < 0) ok = 0, printf("path bind failed: %s\n", strerror(errno));
  const char* files[] = {"/tmp/" TAG "file", "/dev/shm/" TAG "shm", "/box/" TAG "box"};
  for (int i = 0; i < 3; ++i) {
    FILE* f = fopen(files[i], "w");
    if (!f) {
      printf("cannot write %s: %s\n", files[i], strerror(errno));
      if (i < 2) ok = 0;  // /box may be read-only
      continue;
    }
    fputs(secret, f);
    fclose(f);
  }
  int shm = shmget(KEY, 4096, IPC_CREAT | 0666);
  char* p = shm >= 0 ? shmat(shm, NULL, 0) : (void*)-1;
  if (p == (void*)-1) {
    ok = 0, printf("shm failed: %s\n", strerror(errno));
  } else {
    snprintf(p, 4096, "%s", secret);
  }
  int q = msgget(KEY, IPC_CREAT | 0666);
  struct Msg m = {1, {0}};
  snprintf(m.text, sizeof m.text, "%s", secret);
  if (q < 0 || msgsnd(q, &m, sizeof m.text, IPC_NOWAIT) != 0) {
    ok = 0, printf("msg failed: %s\n", strerror(errno));
  }
  if (LeaveCycle(secret) != 0) ok = 0, printf("cycle failed: %s\n", strerror(errno));
  // What a seeker in the same box would find: proves the channels carry data at all.
  int self = ProcNetUnixHas(found, sizeof found);
  printf("%s\n", ok && self ? "published, self-visible" : "publish incomplete");
  fflush(stdout);
  long end = NowMs() + ms;
  while (NowMs() < end) usleep(10000);
  return 0;
}

static int Seek(long ms) {
  char found[256];
  long end = NowMs() + ms;
  do {
    if (Look(found, sizeof found)) {
      printf("found %s\n", found);
      return 0;
    }
    usleep(20000);
  } while (NowMs() < end);
  printf("nothing\n");
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "publish") == 0) return Publish(argv[2], atol(argv[3]));
  if (argc == 3 && strcmp(argv[1], "seek") == 0) return Seek(atol(argv[2]));
  fprintf(stderr, "usage: exchange publish SECRET MS | exchange seek MS\n");
  return 2;
}
