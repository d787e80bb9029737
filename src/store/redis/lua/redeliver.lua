-- Redeliver: a dead delivery back to pending, due now, with a fresh max age (created_at = now,
-- attempts 0); last_error is kept for the operator.
-- ARGV: event_id, now
-- Reply: {'OK'} or NOT_FOUND / FAILED_PRECONDITION (nothing changed).
local ev, now = ARGV[1], ARGV[2]
local h = redis.call('HMGET', k_dlv(ev), 'state', 'url')
if not h[1] then return err('NOT_FOUND', 'no such delivery: ' .. ev) end
if h[1] ~= 'dead' then
  return err('FAILED_PRECONDITION', 'delivery ' .. ev .. ' is ' .. h[1] .. ', not dead')
end
local url = h[2] or ''
redis.call('HSET', k_dlv(ev), 'state', 'pending', 'attempts', '0', 'created_at', now,
           'next_attempt_at', now, 'lease_owner', '', 'lease_until', '0')
redis.call('ZREM', K_DLV_DEAD, ev)
if redis.call('HINCRBY', K_DLV_TARGET_DEAD, url, -1) <= 0 then
  redis.call('HDEL', K_DLV_TARGET_DEAD, url)
end
dlv_index_pending(ev, url, now, now)
return {'OK'}
