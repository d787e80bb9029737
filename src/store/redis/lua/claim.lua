-- Claim: lease one job to a runner, attempts + 1. Orphans (leased, deadline <= now) oldest
-- deadline first, then pending by priority (0 first), FIFO within a priority. Dead jobs met on
-- the way are settled (JE / discarded), at most MAX_SETTLED per call.
-- ARGV: runner_id, lease_ttl_ms, max_attempts, now, je_result_json
-- Reply: {'OK', job (job_reply or {}), reclaimed (0/1), previous_runner, {converged sids},
--         {discarded job ids}}
local rn = ARGV[1]
local ttl = tonumber(ARGV[2])
local max_attempts = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local je = {json = ARGV[5], now = ARGV[4], converged = {}}
local discarded = {}
local MAX_SETTLED = 32

local function lease(job)
  job.attempts = job.attempts + 1
  job.deadline = now + ttl
  job.state = 'leased'
  job.runner = rn
  redis.call('HSET', k_job(job.id), 'state', 'leased', 'attempts', int(job.attempts), 'runner', rn,
             'deadline', int(job.deadline))
  redis.call('ZADD', K_LEASED, job.deadline, job.id)
  redis.call('SADD', k_runner_jobs(rn), job.id)
  redis.call('HSET', k_sub(job.sub), 'attempts', int(job.attempts))
end

local function done(job, reclaimed, previous)
  return {'OK', job and job_reply(job) or {}, reclaimed and 1 or 0, previous or '', je.converged,
          discarded}
end

-- The first orphan, or nil. Index entries without a usable leased record are dropped.
local function next_orphan()
  while true do
    local ids = redis.call('ZRANGEBYSCORE', K_LEASED, '-inf', ARGV[4], 'LIMIT', 0, 1)
    if #ids == 0 then return nil end
    local job = load_job(ids[1])
    if job and (job.state == 'leased' or job.corrupt) then return job end
    redis.call('ZREM', K_LEASED, ids[1])
  end
end

-- Pops the head of the highest-priority non-empty pending queue, or nil.
local function next_pending()
  for prio = 0, 2 do
    while true do
      local head = redis.call('ZPOPMIN', k_pending(prio))
      if #head == 0 then break end
      redis.call('ZREM', K_PENDING_AGE, head[1])
      local job = load_job(head[1])
      if job and (job.state == 'pending' or job.corrupt) then return job end
    end
  end
  return nil
end

for _ = 0, MAX_SETTLED do
  local orphan = next_orphan()
  if orphan then
    if not settle_if_dead(orphan, max_attempts, je, discarded) then
      local previous = orphan.runner
      redis.call('SREM', k_runner_jobs(previous), orphan.id)
      lease(orphan)
      redis.call('HINCRBY', K_STATS, 'reclaimed_total', 1)
      return done(orphan, true, previous)
    end
  else
    local job = next_pending()
    if not job then return done(nil) end
    if not settle_if_dead(job, max_attempts, je, discarded) then
      lease(job)
      return done(job)
    end
  end
end
return done(nil)
