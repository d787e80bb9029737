-- ListRunners (read): runners not expired at `now`, in registration order, each with the jobs
-- it holds (sorted).
-- ARGV: now
-- Reply: {'OK', {{runner_reply..., {job ids}}, ...}}
local now = tonumber(ARGV[1])
local out = {}
for _, rn in ipairs(redis.call('ZRANGE', K_RUNNERS_ORDER, 0, -1)) do
  local r = runner_reply(rn)
  if r and tonumber(r[6]) and tonumber(r[6]) > now then
    local jobs = redis.call('SMEMBERS', k_runner_jobs(rn))
    table.sort(jobs)
    r[#r + 1] = jobs
    out[#out + 1] = r
  end
end
return {'OK', out}
