-- GetTestdata (read): the zip bytes of the current version, or of a kept older one.
-- ARGV: problem_id, version ('' = current)
-- Reply: {'OK', zip} or NOT_FOUND (no problem, or that version was dropped) / FAILED_PRECONDITION
-- (no testdata).
local pid = ARGV[1]
local h = redis.call('HMGET', k_problem(pid), 'created_at', 'version', 'has_testdata',
                     'testdata_rev')
if not h[1] then return err('NOT_FOUND', 'no such problem: ' .. pid) end
local has, rev = h[3], h[4]
if ARGV[2] ~= '' and ARGV[2] ~= (h[2] or '1') then
  local v = redis.call('HMGET', k_problem_ver(pid, ARGV[2]), 'has_testdata', 'testdata_rev')
  if not v[1] then
    return err('NOT_FOUND', 'problem ' .. pid .. ' has no version ' .. ARGV[2] .. ' (any more)')
  end
  has, rev = v[1], v[2]
end
if has ~= '1' then return err('FAILED_PRECONDITION', 'problem ' .. pid .. ' has no testdata') end
local zip = redis.call('GET', k_testdata_blob(pid, rev))
if not zip then
  return err('INTERNAL', 'corrupted problem ' .. pid .. ': testdata revision ' .. (rev or '0') ..
             ' is missing')
end
return {'OK', zip}
