// Memory Limit Exceeded: touches 512 MiB (64 MiB allowed) before answering.
// Bounded on purpose: it stops at 512 MiB even where no limit is enforced.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

int main() {
  long long a = 0, b = 0;
  std::cin >> a >> b;
  std::vector<char*> blocks;
  for (int i = 0; i < 512; ++i) {
    char* p = static_cast<char*>(std::malloc(1 << 20));
    if (p == nullptr) break;
    std::memset(p, i & 0xff, 1 << 20);  // touched, so really resident
    blocks.push_back(p);
  }
  std::cout << a + b << '\n';
  for (char* p : blocks) std::free(p);
}
