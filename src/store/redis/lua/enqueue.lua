-- Enqueue: create the submission (status -1), its code and its first job (pending, attempts 0)
-- in one step (INV6). The job joins its requirement class's queue (judging.md §5).
-- ARGV: submission_id, job_id, problem_id, language, priority, code, now, class, callback_url
--       ('' = none: the field is then not written; absent reads as none)
-- Reply: {'OK'} or ALREADY_EXISTS / INVALID_ARGUMENT (nothing created).
local sid, jid, pid, lang, prio, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[7]
local class = ARGV[8]
if not valid_class(class) then return err('INVALID_ARGUMENT', 'bad requirement class') end
if redis.call('EXISTS', k_sub(sid)) == 1 then
  return err('ALREADY_EXISTS', 'submission id taken: ' .. sid)
end
if redis.call('EXISTS', k_job(jid)) == 1 then return err('ALREADY_EXISTS', 'job id taken: ' .. jid) end
redis.call('HSET', k_sub(sid), 'problem', pid, 'language', lang, 'priority', prio, 'status',
           STATUS_PENDING, 'score', '0', 'time', '0', 'memory', '0', 'attempts', '0', 'created_at',
           now, 'judged_at', '0', 'current_job', jid, 'class', class)
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', k_sub(sid), 'callback_url', ARGV[9]) end
redis.call('SET', k_code(sid), ARGV[6])
local seq = push_pending(jid, prio, class, now)
redis.call('HSET', k_job(jid), 'sub', sid, 'problem', pid, 'language', lang, 'priority', prio,
           'state', 'pending', 'attempts', '0', 'enqueued_at', now, 'seq', seq, 'class', class)
redis.call('ZADD', P .. 'subs:all', 0, sid)
redis.call('ZADD', P .. 'subs:problem:' .. pid, 0, sid)
index_status(sid, pid, nil, STATUS_PENDING)
return {'OK'}
