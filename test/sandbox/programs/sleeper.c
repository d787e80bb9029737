// sleep(100).
#include <unistd.h>

int main(void) { return (int)sleep(100); }
