/* Single precision: about 7 significant digits, inside the relative tolerance of 1e-6. */
#include <stdio.h>
int main(void) {
  float r;
  scanf("%f", &r);
  printf("%e\n", (double)(3.14159265f * r * r));
  return 0;
}
