-- Rejudge: a new current job (pending, attempts 0) for the submission, which is reset to
-- pending (status -1, result and outputs cleared). Older jobs become non-current (INV4). The new
-- job's requirement class is `class`, or the submission's when '' (judging.md §5).
-- ARGV: submission_id, new_job_id, priority, now, class ('' = the submission's)
-- Reply: {'OK'} or NOT_FOUND / ALREADY_EXISTS / INVALID_ARGUMENT (nothing changed).
local sid, jid, prio, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not valid_priority(prio) then return err('INVALID_ARGUMENT', 'priority must be 0, 1 or 2') end
local s = redis.call('HMGET', k_sub(sid), 'problem', 'language', 'status', 'class')
if not s[1] then return err('NOT_FOUND', 'no such submission: ' .. sid) end
if redis.call('EXISTS', k_job(jid)) == 1 then return err('ALREADY_EXISTS', 'job id taken: ' .. jid) end
local lang = s[2] or '0'
local class = ARGV[5]
if class == '' then class = s[4] or '' end
if not valid_class(class) then class = lang .. ':0' end  -- absent on older submissions
if ARGV[5] ~= '' and string.match(class, '^%d+') ~= lang then
  return err('INVALID_ARGUMENT', 'requirements name language ' .. string.match(class, '^%d+') ..
             ' for a submission in language ' .. lang)
end
local seq = push_pending(jid, prio, class, now)
redis.call('HSET', k_job(jid), 'sub', sid, 'problem', s[1], 'language', lang, 'priority', prio,
           'state', 'pending', 'attempts', '0', 'enqueued_at', now, 'seq', seq, 'class', class)
redis.call('HSET', k_sub(sid), 'current_job', jid, 'priority', prio, 'status', '-1', 'score', '0',
           'time', '0', 'memory', '0', 'attempts', '0', 'judged_at', '0', 'class', class)
redis.call('HDEL', k_sub(sid), 'result')
redis.call('DEL', k_out(sid))
index_status(sid, s[1], s[3], '-1')
return {'OK'}
