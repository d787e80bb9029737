-- Complete: the lease holder lands a result (INV1, INV3, INV7). The job is deleted; if it is
-- current for its submission the result and case outputs are written in the same step, else
-- they are dropped.
-- ARGV: runner_id, job_id, attempt ('' = unchecked), now, status, score, exec_time_ms,
--       memory_kib, result_json, then output field/value pairs ("<task>:<case>:o" / ":e").
-- Reply: {'OK', 'landed' | 'stale', submission_id, attempts} or an error.
local job, e = held_job(ARGV[1], ARGV[2], ARGV[3])
if not job then return e end
local current = is_current(job)
delete_job(job)
if not current then return {'OK', 'stale', job.sub, int(job.attempts)} end
local outputs = {}
for i = 10, #ARGV do outputs[#outputs + 1] = ARGV[i] end
write_result(job.sub, ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], int(job.attempts), ARGV[4],
             outputs)
return {'OK', 'landed', job.sub, int(job.attempts)}
