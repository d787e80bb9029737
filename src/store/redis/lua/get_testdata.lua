-- GetTestdata (read): the zip bytes.
-- ARGV: problem_id
-- Reply: {'OK', zip} or NOT_FOUND (no problem) / FAILED_PRECONDITION (no testdata).
if redis.call('EXISTS', k_problem(ARGV[1])) == 0 then
  return err('NOT_FOUND', 'no such problem: ' .. ARGV[1])
end
local zip = redis.call('GET', k_testdata(ARGV[1]))
if not zip then
  return err('FAILED_PRECONDITION', 'problem ' .. ARGV[1] .. ' has no testdata')
end
return {'OK', zip}
