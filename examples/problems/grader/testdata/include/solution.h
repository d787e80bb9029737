/* What the contestant implements (C and C++ alike): the grader calls it once per query. */
#ifndef SOLUTION_H
#define SOLUTION_H
long long add(long long a, long long b);
#endif
