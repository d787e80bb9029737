#pragma once
// Names the calling thread (at most 15 characters), so `top -H`, perf and gdb show what a thread
// of nojd is for.

#include <pthread.h>

namespace noj {

inline void NameThisThread(const char* name) { ::pthread_setname_np(::pthread_self(), name); }

}  // namespace noj
