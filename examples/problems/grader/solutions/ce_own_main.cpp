// A whole program instead of the function: main() is defined twice (here and in grader.cpp).
#include <cstdio>

int main() { std::puts("3"); }
