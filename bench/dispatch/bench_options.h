#pragma once
// bench_dispatch's options: what bench_dispatch.cc parses from the command line, and what the
// cluster and every phase read (which store, how many nodes, runners and jobs).

#include <string>

#ifndef NOJD_BINARY
#define NOJD_BINARY "nojd"
#endif

namespace noj::bench {

struct Options {
  std::string nojd = NOJD_BINARY;
  std::string store = "sqlite";
  std::string redis_url;
  std::string sqlite_sync = "full";
  int nodes = 1;
  int runners = 16;
  int submitters = 4;
  int jobs = 20000;
  bool quick = false;
  std::string phases = "1,2,3,4,5,6";
  // Derived sizes (set from --quick unless given).
  int latency_jobs = 1000;
  int latency_rate = 300;
  int claim_samples = 300;
  int leased_jobs = 10000;
  int warmup_jobs = 5000;
  int pending_jobs = 100000;
  int lease_ttl_dead = 5;
};

}  // namespace noj::bench
