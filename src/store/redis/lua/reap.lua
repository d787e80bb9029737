-- ReapExpired: converges expired, exhausted leases (attempts >= max) to JE and discards expired
-- non-current ones, oldest deadline first, at most `limit` per call. Expired leases that may
-- still run (current, attempts left) are left for a claim; at most SCAN_BUDGET expired entries
-- are examined per call so the script stays short. One script: two servers reaping at once
-- settle each job once (no double JE).
-- ARGV: max_attempts, now, limit, je_result_json
-- Reply: {'OK', {converged sids}, {discarded job ids}, {corrupt sids}, {problem missing sids}}
-- (the last two: why, for converged sids that were not exhausted)
local max_attempts = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local je = {json = ARGV[4], now = ARGV[2], converged = {}, corrupt = {}, missing = {}}
local discarded = {}
local SCAN_BUDGET = 1000
local BATCH = 100

local examined, offset = 0, 0
while #je.converged + #discarded < limit and examined < SCAN_BUDGET do
  local ids = redis.call('ZRANGEBYSCORE', K_LEASED, '-inf', ARGV[2], 'LIMIT', offset, BATCH)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    if #je.converged + #discarded >= limit or examined >= SCAN_BUDGET then break end
    examined = examined + 1
    local job = load_job(id)
    if not job or (job.state ~= 'leased' and not job.corrupt) then
      redis.call('ZREM', K_LEASED, id)  -- a stray index entry: nothing to settle
    elseif job.corrupt or job.attempts >= max_attempts or not is_current(job) then
      settle_if_dead(job, max_attempts, je, discarded)
    else
      offset = offset + 1  -- may still run: stays in the index, skip past it
    end
  end
end
return {'OK', je.converged, discarded, je.corrupt, je.missing}
