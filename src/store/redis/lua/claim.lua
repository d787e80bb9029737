-- Claim: lease one job the runner can take (judging.md §5) to it, attempts + 1. Among those:
-- orphans (leased, deadline <= now) oldest deadline first, then pending by priority (0 first),
-- FIFO within a priority. Only the queues of the classes the runner can take are looked at (one
-- head per class), so the work grows with the number of classes, never with the jobs of other
-- classes. Dead jobs met on the way are settled (JE / discarded), at most MAX_SETTLED per call. A
-- runner that already holds max_leases leases gets no job.
-- ARGV: runner_id, lease_ttl_ms, max_attempts, now, je_result_json, max_leases,
--       languages (comma-separated codes), features (bit mask)
-- Reply: {'OK', job (job_reply or {}), reclaimed (0/1), previous_runner, {converged sids},
--         {discarded job ids}, lease_limit_reached (0/1), {corrupt sids}, {problem missing sids}}
--         (the last two: why, for converged sids that were not exhausted)
local rn = ARGV[1]
local ttl = tonumber(ARGV[2])
local max_attempts = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local je = {json = ARGV[5], now = ARGV[4], converged = {}, corrupt = {}, missing = {}}
local discarded = {}
local MAX_SETTLED = 32

local function done(job, reclaimed, previous, at_limit)
  return {'OK', job and job_reply(job) or {}, reclaimed and 1 or 0, previous or '', je.converged,
          discarded, at_limit and 1 or 0, je.corrupt, je.missing}
end

local function settle(job) return settle_if_dead(job, max_attempts, je, discarded) end

if redis.call('SCARD', k_runner_jobs(rn)) >= tonumber(ARGV[6]) then
  return done(nil, false, nil, true)
end

local languages = {}
for code in string.gmatch(ARGV[7], '%d+') do languages[code] = true end
local features = tonumber(ARGV[8])

-- api::RunnerCapabilities::CanTake on a class key. A key that does not parse is taken: its jobs
-- are corrupted and get settled.
local function can_take(class)
  local lang, bits = string.match(class, '^(%d+):(%d+)$')
  if not lang then return true end
  return languages[tostring(tonumber(lang))] == true and
         bit.band(tonumber(bits), bit.bnot(features)) == 0
end

local function takeable(classes_key)
  local out = {}
  for _, class in ipairs(redis.call('SMEMBERS', classes_key)) do
    if can_take(class) then out[#out + 1] = class end
  end
  return out
end
local leased_classes = takeable(K_LEASED_CLASSES)
local pending_classes = takeable(K_PENDING_CLASSES)

local function lease(job)
  job.attempts = job.attempts + 1
  job.deadline = now + ttl
  job.state = 'leased'
  job.runner = rn
  -- The lease judges the problem as it is now (judging.md §6), even a reclaimed orphan's.
  job.pver = problem_version(job.problem) or '0'
  redis.call('HSET', k_job(job.id), 'state', 'leased', 'attempts', int(job.attempts), 'runner', rn,
             'deadline', int(job.deadline), 'pver', job.pver)
  index_leased(job.id, job.class, int(job.deadline))
  redis.call('SADD', k_runner_jobs(rn), job.id)
  redis.call('HSET', k_sub(job.sub), 'attempts', int(job.attempts))
end

-- The head over `classes` of the per-class queues named by `key_of`, read by `head_of(key)`
-- ({id, score} or empty): the id, its score and its class, or nil when all are empty.
local function first_of(classes, key_of, head_of)
  local best, best_score, best_class = nil, nil, nil
  for _, class in ipairs(classes) do
    local head = head_of(key_of(class))
    if #head > 0 and (best == nil or tonumber(head[2]) < best_score) then
      best, best_score, best_class = head[1], tonumber(head[2]), class
    end
  end
  return best, best_score, best_class
end

local function expired_head(key)
  return redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[4], 'WITHSCORES', 'LIMIT', 0, 1)
end
local function queue_head(key) return redis.call('ZRANGE', key, 0, 0, 'WITHSCORES') end

-- The first takeable orphan, or nil. Index entries without a usable leased record are dropped.
local function next_orphan()
  while true do
    local id, _, class = first_of(leased_classes, k_class_leased, expired_head)
    if not id then return nil end
    local job = load_job(id)
    if job and (job.state == 'leased' or job.corrupt) then return job end
    redis.call('ZREM', K_LEASED, id)
    redis.call('ZREM', k_class_leased(class), id)
    forget_class_if_empty(class)
  end
end

-- Takes the first takeable pending job out of the pending indexes, or nil.
local function next_pending()
  while true do
    local id, score, class = first_of(pending_classes, k_class_pending, queue_head)
    if not id then return nil end
    unindex_pending(id, int(math.floor(score / PRIORITY_SPAN)), class)
    local job = load_job(id)
    if job and (job.state == 'pending' or job.corrupt) then return job end
  end
end

for _ = 0, MAX_SETTLED do
  local orphan = next_orphan()
  if orphan then
    if not settle(orphan) then
      local previous = orphan.runner
      redis.call('SREM', k_runner_jobs(previous), orphan.id)
      lease(orphan)
      redis.call('HINCRBY', K_STATS, 'reclaimed_total', 1)
      return done(orphan, true, previous)
    end
  else
    local job = next_pending()
    if not job then return done(nil) end
    if not settle(job) then
      lease(job)
      return done(job)
    end
  end
end
return done(nil)
