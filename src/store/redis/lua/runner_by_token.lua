-- GetRunnerByTokenHash (read): the earliest-registered runner with this token hash that has
-- not expired at `now`. O(1): token:<sha256> is a sorted set of (nearly always) one runner.
-- ARGV: token_sha256, now
-- Reply: {'OK', runner_reply} or NOT_FOUND.
local now = tonumber(ARGV[2])
for _, rn in ipairs(redis.call('ZRANGE', k_token(ARGV[1]), 0, -1)) do
  local r = runner_reply(rn)
  if r and tonumber(r[6]) and tonumber(r[6]) > now then return {'OK', r} end
end
return err('NOT_FOUND', 'no runner with that token')
