// Tries to reach the network: TCP to 127.0.0.1:PORT (argv[1]), UDP, IPv6, netlink, packet.
// Exit 0 only if every attempt failed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int port = argc > 1 ? atoi(argv[1]) : 80;
  int reached = 0;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr*)&a, sizeof a) == 0) {
      printf("connected to 127.0.0.1:%d\n", port);
      ++reached;
    }
    close(fd);
    printf("AF_INET socket created\n");
  }
  int families[] = {AF_INET6, AF_NETLINK, AF_PACKET};
  for (unsigned i = 0; i < 3; ++i) {
    int s = socket(families[i], SOCK_DGRAM, 0);
    if (s >= 0) {
      printf("socket family %d created\n", families[i]);
      ++reached;
      close(s);
    }
  }
  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("AF_UNIX %s\n", u >= 0 ? "allowed" : "denied");
  printf(reached ? "REACHED\n" : "all blocked\n");
  return reached ? 1 : 0;
}
