-- Rejudge: a new current job (pending, attempts 0) for the submission, which is reset to
-- pending (status -1, result and outputs cleared). Older jobs become non-current (INV4). The new
-- job's requirement class is `class`, or the submission's when '' (judging.md §5).
-- ARGV: submission_id, new_job_id, priority, now, class ('' = the submission's)
-- Reply: {'OK'} or NOT_FOUND / ALREADY_EXISTS / INVALID_ARGUMENT (nothing changed).
local sid, jid, prio, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local s = redis.call('HMGET', k_sub(sid), 'problem', 'language')
if not s[1] then return err('NOT_FOUND', 'no such submission: ' .. sid) end
if redis.call('EXISTS', k_job(jid)) == 1 then return err('ALREADY_EXISTS', 'job id taken: ' .. jid) end
local lang = s[2] or '0'
local class = ARGV[5]
if class ~= '' and (not valid_class(class) or string.match(class, '^%d+') ~= lang) then
  return err('INVALID_ARGUMENT', 'requirements name language ' ..
             (string.match(class, '^%d+') or '?') .. ' for a submission in language ' .. lang)
end
rejudge_submission(sid, jid, prio, now, class)
return {'OK'}
