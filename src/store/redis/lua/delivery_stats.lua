-- GetDeliveryStats (read): counts from the indexes (pending = dlvs:due, leased = dlvs:leased
-- past now, dead = dlvs:dead), the oldest pending, the totals, and per url with a pending or
-- dead delivery (dlvs:targets, sorted): its pending count and oldest, its dead count.
-- O(urls log n): no delivery is read.
-- ARGV: now
-- Reply: {'OK', pending, leased, dead, oldest_pending_created_at, delivered_total,
--         superseded_total, {{url, pending, dead, oldest_pending_created_at}...}}
local oldest = redis.call('ZRANGE', K_DLV_AGE, 0, 0, 'WITHSCORES')
local totals = redis.call('HMGET', K_DLV_STATS, 'delivered_total', 'superseded_total')
local urls = redis.call('SMEMBERS', K_DLV_TARGETS)
table.sort(urls)
local per_url = {}
for _, url in ipairs(urls) do
  local pending = redis.call('ZCARD', k_dlv_target(url))
  local dead = tonumber(redis.call('HGET', K_DLV_TARGET_DEAD, url) or '0')
  if pending > 0 or dead > 0 then
    local age = redis.call('ZRANGE', k_dlv_target(url), 0, 0, 'WITHSCORES')
    per_url[#per_url + 1] = {url, pending, int(dead), age[2] or '0'}
  end
end
return {'OK', redis.call('ZCARD', K_DLV_DUE), redis.call('ZCOUNT', K_DLV_LEASED, '(' .. ARGV[1],
        '+inf'), redis.call('ZCARD', K_DLV_DEAD), oldest[2] or '0', totals[1] or '0',
        totals[2] or '0', per_url}
