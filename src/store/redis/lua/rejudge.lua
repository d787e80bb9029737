-- Rejudge: a new current job (pending, attempts 0) for the submission, which is reset to
-- pending (status -1, result and outputs cleared). Older jobs become non-current (INV4).
-- ARGV: submission_id, new_job_id, priority, now
-- Reply: {'OK'} or NOT_FOUND / ALREADY_EXISTS / INVALID_ARGUMENT (nothing changed).
local sid, jid, prio, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not valid_priority(prio) then return err('INVALID_ARGUMENT', 'priority must be 0, 1 or 2') end
local s = redis.call('HMGET', k_sub(sid), 'problem', 'language', 'status')
if not s[1] then return err('NOT_FOUND', 'no such submission: ' .. sid) end
if redis.call('EXISTS', k_job(jid)) == 1 then return err('ALREADY_EXISTS', 'job id taken: ' .. jid) end
local seq = push_pending(jid, prio, now)
redis.call('HSET', k_job(jid), 'sub', sid, 'problem', s[1], 'language', s[2] or '0',
           'priority', prio, 'state', 'pending', 'attempts', '0', 'enqueued_at', now, 'seq', seq)
redis.call('HSET', k_sub(sid), 'current_job', jid, 'priority', prio, 'status', '-1', 'score', '0',
           'time', '0', 'memory', '0', 'attempts', '0', 'judged_at', '0')
redis.call('HDEL', k_sub(sid), 'result')
redis.call('DEL', k_out(sid))
index_status(sid, s[1], s[3], '-1')
return {'OK'}
