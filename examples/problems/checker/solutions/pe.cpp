#include <cstdio>
int main() { std::puts("half and half"); }
