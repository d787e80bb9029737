-- Abort: the lease holder gives the job back. `refund` (drain) returns the attempt the claim
-- counted. At max attempts the submission gets JE and the job is deleted; else the job goes to
-- the end of its priority's queue (in its class's queue). A non-current job is just deleted.
-- ARGV: runner_id, job_id, attempt ('' = unchecked), refund (0/1), max_attempts, now,
--       je_result_json
-- Reply: {'OK', 'requeued' | 'je' | 'stale', submission_id, attempts} or an error.
local job, e = held_job(ARGV[1], ARGV[2], ARGV[3])
if not job then return e end
if not is_current(job) then
  delete_job(job)
  return {'OK', 'stale', job.sub, int(job.attempts)}
end
local attempts = job.attempts
if ARGV[4] == '1' and attempts > 0 then attempts = attempts - 1 end
if attempts >= tonumber(ARGV[5]) then
  land_je(job, attempts, {json = ARGV[7], now = ARGV[6], converged = {}})
  return {'OK', 'je', job.sub, int(attempts)}
end
unindex_leased(job.id, job.class)
redis.call('SREM', k_runner_jobs(job.runner), job.id)
local seq = push_pending(job.id, job.priority, job.class, job.enqueued_at)
redis.call('HSET', k_job(job.id), 'state', 'pending', 'attempts', int(attempts), 'seq', seq)
redis.call('HDEL', k_job(job.id), 'runner', 'deadline')
redis.call('HSET', k_sub(job.sub), 'attempts', int(attempts))
return {'OK', 'requeued', job.sub, int(attempts)}
