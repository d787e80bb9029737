-- ListDeliveries (read): pending (dlvs:age) and/or dead (dlvs:dead) deliveries, oldest
-- created_at first, then event id (a zset orders equal scores by member), at most `limit`: the
-- heads of the two zsets merged. O(limit log n).
-- ARGV: state ('pending' | 'dead' | '' = both), limit (>= 1)
-- Reply: {'OK', {{event_id, {field, value...}}...}}
local state, limit = ARGV[1], tonumber(ARGV[2])
local function head(key, wanted)
  if not wanted then return {} end
  return redis.call('ZRANGE', key, 0, limit - 1, 'WITHSCORES')
end
local a = head(K_DLV_AGE, state ~= 'dead')
local d = head(K_DLV_DEAD, state ~= 'pending')
-- true if entry i of `x` comes before entry j of `y` (flat id, score lists)
local function before(x, i, y, j)
  local sx, sy = tonumber(x[i + 1]), tonumber(y[j + 1])
  if sx ~= sy then return sx < sy end
  return x[i] < y[j]
end
local out = {}
local i, j = 1, 1
while #out < limit and (i <= #a or j <= #d) do
  local ev
  if j > #d or (i <= #a and before(a, i, d, j)) then
    ev = a[i]
    i = i + 2
  else
    ev = d[j]
    j = j + 2
  end
  local r = dlv_reply(ev)
  if r then out[#out + 1] = r end
end
return {'OK', out}
