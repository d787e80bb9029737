-- FinishDeliveries: ends attempts of deliveries `owner` holds (store.h DeliveryAttempt), each
-- outcome on its own: one that is refused changes nothing, the others apply. Leases are cleared.
-- The holder is whoever leased it last: a lease that ran out and was not taken over is still
-- held (as jobs).
--   delivered / superseded: deleted, dlvs:stats <kind>_total + 1
--   retry: attempts + 1, last_attempt_at, last_error, due at next_attempt_at
--   postponed: due at next_attempt_at (attempts and last_error unchanged)
--   dead: state dead (dlvs:dead by created_at, counted per url), attempts + 1, last_error
-- ARGV: owner, now, then per outcome: event_id, kind, next_attempt_at, error
-- Reply: {'OK', {status...}}, a status per outcome in order: {'OK'} or
-- {NOT_FOUND | ABORTED | INVALID_ARGUMENT, message}.
local owner, now = ARGV[1], ARGV[2]
local KINDS = {delivered = true, superseded = true, retry = true, postponed = true, dead = true}

local function finish_one(ev, kind, next_at, error_text)
  if not KINDS[kind] then return err('INVALID_ARGUMENT', 'unknown delivery outcome: ' .. kind) end
  local h = redis.call('HMGET', k_dlv(ev), 'state', 'lease_owner', 'url', 'attempts', 'created_at')
  if not h[1] then return err('NOT_FOUND', 'no such delivery: ' .. ev) end
  local holder = h[2] or ''
  if h[1] ~= 'pending' or holder == '' or holder ~= owner then  -- '' is nobody, never a holder
    return err('ABORTED', owner .. ' does not hold the lease of delivery ' .. ev)
  end
  local url = h[3] or ''
  local attempts = int((tonumber(h[4]) or 0) + 1)
  if kind == 'delivered' or kind == 'superseded' then
    redis.call('DEL', k_dlv(ev))
    dlv_unindex_pending(ev, url)
    dlv_forget_target_if_empty(url)
    redis.call('HINCRBY', K_DLV_STATS, kind .. '_total', 1)
  elseif kind == 'dead' then
    redis.call('HSET', k_dlv(ev), 'state', 'dead', 'attempts', attempts, 'last_attempt_at', now,
               'last_error', error_text, 'lease_owner', '', 'lease_until', '0')
    dlv_unindex_pending(ev, url)
    redis.call('ZADD', K_DLV_DEAD, h[5] or '0', ev)
    redis.call('HINCRBY', K_DLV_TARGET_DEAD, url, 1)
    redis.call('SADD', K_DLV_TARGETS, url)
  else
    if kind == 'retry' then
      redis.call('HSET', k_dlv(ev), 'attempts', attempts, 'last_attempt_at', now, 'last_error',
                 error_text)
    end
    redis.call('HSET', k_dlv(ev), 'next_attempt_at', next_at, 'lease_owner', '', 'lease_until',
               '0')
    redis.call('ZADD', K_DLV_DUE, next_at, ev)
    redis.call('ZREM', K_DLV_LEASED, ev)
  end
  return {'OK'}
end

local out = {}
for i = 3, #ARGV - 3, 4 do
  out[#out + 1] = finish_one(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return {'OK', out}
