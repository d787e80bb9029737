-- RejudgeProblem: one batch of a problem's submissions (those with `status` when set), newest
-- first, older than `before` when set: each rejudged as rejudge.lua does, in the class
-- "<language>:<features>" (judging.md §5, the problem as it is now).
-- ARGV: problem_id, status ('' = any), before ('' = from the newest), priority, now, features,
--       expected_version, new job ids... (one per submission; their number is the batch size)
-- Reply: {'OK', {rejudged sids}, done (0/1)} or NOT_FOUND / ABORTED / INVALID_ARGUMENT /
--        ALREADY_EXISTS (nothing changed).
local pid, prio, now, features = ARGV[1], ARGV[4], ARGV[5], ARGV[6]
local version = problem_version(pid)
if not version then return err('NOT_FOUND', 'no such problem: ' .. pid) end
if version ~= ARGV[7] then
  return err('ABORTED', 'problem ' .. pid .. ' changed meanwhile (version ' .. version .. ')')
end
local n = #ARGV - 7
for i = 1, n do
  if redis.call('EXISTS', k_job(ARGV[7 + i])) == 1 then
    return err('ALREADY_EXISTS', 'job id taken: ' .. ARGV[7 + i])
  end
end
local index = P .. 'subs:problem:' .. pid
if ARGV[2] ~= '' then index = index .. ':status:' .. ARGV[2] end
local max = ARGV[3] == '' and '+' or ('(' .. ARGV[3])
local ids = redis.call('ZREVRANGEBYLEX', index, max, '-', 'LIMIT', 0, n)
local rejudged = {}
for i, sid in ipairs(ids) do
  local lang = redis.call('HGET', k_sub(sid), 'language')
  if lang then
    rejudge_submission(sid, ARGV[7 + i], prio, now, lang .. ':' .. features)
    rejudged[#rejudged + 1] = sid
  end
end
return {'OK', rejudged, #ids < n and 1 or 0}
