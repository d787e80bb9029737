-- GetQueueStats (read): pending per priority, leased, oldest pending enqueue time, counters, and
-- per requirement class with pending jobs: its pending count and oldest enqueue time.
-- ARGV: (none)
-- Reply: {'OK', pending0, pending1, pending2, leased, oldest_pending_enqueued_at,
--         reclaimed_total, judge_error_total, results_total, {{class, pending, oldest}, ...}}
local oldest = redis.call('ZRANGE', K_PENDING_AGE, 0, 0, 'WITHSCORES')
local counters = redis.call('HMGET', K_STATS, 'reclaimed_total', 'judge_error_total',
                            'results_total')
local classes = redis.call('SMEMBERS', K_PENDING_CLASSES)
table.sort(classes)
local per_class = {}
for _, class in ipairs(classes) do
  local age = redis.call('ZRANGE', k_class_age(class), 0, 0, 'WITHSCORES')
  per_class[#per_class + 1] = {class, redis.call('ZCARD', k_class_pending(class)), age[2] or '0'}
end
return {'OK', redis.call('ZCARD', k_pending(0)), redis.call('ZCARD', k_pending(1)),
        redis.call('ZCARD', k_pending(2)), redis.call('ZCARD', K_LEASED), oldest[2] or '0',
        counters[1] or '0', counters[2] or '0', counters[3] or '0', per_class}
