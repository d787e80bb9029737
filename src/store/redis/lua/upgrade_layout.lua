-- UpgradeLayout: brings a store written by an older nojd to the current key layout, once (run when
-- a store is opened; `layout` records the version). Version 2 added requirement classes
-- (judging.md §5): every pending and leased job joins its class's queue, as a job of its language
-- with no feature — which is what those jobs need. O(jobs) once; a no-op afterwards.
-- ARGV: (none)
-- Reply: {'OK', jobs moved}
local K_LAYOUT = P .. 'layout'
local LAYOUT = 2
if tonumber(redis.call('GET', K_LAYOUT) or '1') >= LAYOUT then return {'OK', 0} end
local moved = 0
for prio = 0, 2 do
  local ids = redis.call('ZRANGE', k_pending(prio), 0, -1, 'WITHSCORES')
  for i = 1, #ids, 2 do
    local job = load_job(ids[i])
    if job and not redis.call('HGET', k_job(job.id), 'class') and valid_class(job.class) then
      redis.call('HSET', k_job(job.id), 'class', job.class)
      local score = prio * PRIORITY_SPAN + tonumber(ids[i + 1])  -- priority, then seq
      redis.call('ZADD', k_class_pending(job.class), int(score), job.id)
      redis.call('ZADD', k_class_age(job.class), job.enqueued_at, job.id)
      redis.call('SADD', K_PENDING_CLASSES, job.class)
      moved = moved + 1
    end
  end
end
local leased = redis.call('ZRANGE', K_LEASED, 0, -1, 'WITHSCORES')
for i = 1, #leased, 2 do
  local job = load_job(leased[i])
  if job and not redis.call('HGET', k_job(job.id), 'class') and valid_class(job.class) then
    redis.call('HSET', k_job(job.id), 'class', job.class)
    redis.call('ZADD', k_class_leased(job.class), leased[i + 1], job.id)
    redis.call('SADD', K_LEASED_CLASSES, job.class)
    moved = moved + 1
  end
end
redis.call('SET', K_LAYOUT, LAYOUT)
return {'OK', moved}
