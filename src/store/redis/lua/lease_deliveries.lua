-- LeaseDeliveries: leases to `owner` at most `limit` due deliveries (pending with
-- next_attempt_at <= now: never leased, or their lease ran out), oldest next_attempt_at first.
-- The lease moves next_attempt_at to lease_until, so one delivering node that dies leaves its
-- deliveries due again exactly when their leases run out: dlvs:due alone says what is due. One
-- script: two nodes never get the same delivery while its lease runs. O(limit log n).
-- Each comes with its submission as get_submission.lua reads it (the POST's body is built from
-- it), or false when the submission is gone.
-- ARGV: owner, limit (>= 1), lease_ms (>= 1), now
-- Reply: {'OK', {{event_id, {field, value...}, submission_reply | false}...}}
local owner, limit, now = ARGV[1], tonumber(ARGV[2]), ARGV[4]
local lease_until = int(tonumber(now) + tonumber(ARGV[3]))
local out = {}
while #out < limit do
  local ids = redis.call('ZRANGEBYSCORE', K_DLV_DUE, '-inf', now, 'LIMIT', 0, limit - #out)
  if #ids == 0 then break end
  for _, ev in ipairs(ids) do
    if redis.call('HGET', k_dlv(ev), 'state') == 'pending' then
      redis.call('HSET', k_dlv(ev), 'lease_owner', owner, 'lease_until', lease_until,
                 'next_attempt_at', lease_until)
      redis.call('ZADD', K_DLV_DUE, lease_until, ev)  -- > now: out of this range
      redis.call('ZADD', K_DLV_LEASED, lease_until, ev)
      local d = dlv_reply(ev)
      d[3] = submission_reply(redis.call('HGET', k_dlv(ev), 'sub') or '') or false
      out[#out + 1] = d
    else
      redis.call('ZREM', K_DLV_DUE, ev)  -- a stray index entry
    end
  end
end
return {'OK', out}
