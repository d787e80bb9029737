#pragma once
// bench_dispatch's six phases, one file each (phase_*.cc). Each starts its own nojd node(s) on a
// fresh store under `root`, prints its heading and tables, adds its figures to `summary` (or marks
// it failed when it cannot run), and stops its nodes before returning.

#include <string>

#include "bench_options.h"
#include "bench_report.h"

namespace noj::bench {

// 1. Drain throughput: runners long-poll, submitters enqueue opt.jobs; jobs/s and CPU per job.
void PhaseDrain(const Options& opt, const std::string& root, Summary& summary);
// 2. Queue latency: enqueue at a fixed rate into parked runners; enqueue -> claim time.
void PhaseLatency(const Options& opt, const std::string& root, Summary& summary);
// 3. Claim cost with 0 and with opt.leased_jobs leased jobs, sampled alternately.
void PhaseClaimCost(const Options& opt, const std::string& root, Summary& summary);
// 4. Dead runner recovery: how soon another runner gets a dead runner's jobs back.
void PhaseDeadRunner(const Options& opt, const std::string& root, Summary& summary);
// 5. Memory: nojd's RSS with opt.pending_jobs pending jobs.
void PhaseMemory(const Options& opt, const std::string& root, Summary& summary);
// 6. Result callbacks: phase 1's drain with callbacks off and on (a receiver answering 204),
// alternated; jobs/s, CPU per job and the delivery latency from landing to the receiver.
void PhaseCallbacks(const Options& opt, const std::string& root, Summary& summary);

}  // namespace noj::bench
