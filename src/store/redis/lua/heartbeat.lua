-- Heartbeat: renews the leases of listed jobs this runner holds and that are still current
-- (others are listed in cancel), extends the identity, records last_seen. Never re-creates an
-- unknown, revoked or expired runner.
-- ARGV: runner_id, now, lease_ttl_ms, identity_ttl_ms, job ids...
-- Reply: {'OK', {renewed}, {cancel}} or NOT_FOUND.
local rn = ARGV[1]
local now = tonumber(ARGV[2])
local expires = tonumber(redis.call('HGET', k_runner(rn), 'expires_at') or '')
if not expires then return err('NOT_FOUND', 'no such runner: ' .. rn) end
if expires <= now then return err('NOT_FOUND', 'runner expired: ' .. rn) end
local deadline = now + tonumber(ARGV[3])
local renewed, cancel, seen = {}, {}, {}
for i = 5, #ARGV do
  local id = ARGV[i]
  if not seen[id] then
    seen[id] = true
    local job = load_job(id)
    if job and not job.corrupt and job.state == 'leased' and job.runner == rn and is_current(job) then
      redis.call('HSET', k_job(id), 'deadline', int(deadline))
      index_leased(id, job.class, int(deadline))
      renewed[#renewed + 1] = id
    else
      cancel[#cancel + 1] = id
    end
  end
end
local identity = now + tonumber(ARGV[4])
redis.call('HSET', k_runner(rn), 'last_seen', ARGV[2], 'expires_at', int(identity))
redis.call('ZADD', K_RUNNERS_EXPIRY, identity, rn)
return {'OK', renewed, cancel}
