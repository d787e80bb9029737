// nan never matches a number, whatever the tolerance.
#include <cmath>
#include <cstdio>
int main() { std::printf("%f\n", std::nan("")); }
