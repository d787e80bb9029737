-- GetQueueStats (read): pending per priority, leased, oldest pending enqueue time, counters.
-- ARGV: (none)
-- Reply: {'OK', pending0, pending1, pending2, leased, oldest_pending_enqueued_at,
--         reclaimed_total, judge_error_total, results_total}
local oldest = redis.call('ZRANGE', K_PENDING_AGE, 0, 0, 'WITHSCORES')
local counters = redis.call('HMGET', K_STATS, 'reclaimed_total', 'judge_error_total',
                            'results_total')
return {'OK', redis.call('ZCARD', k_pending(0)), redis.call('ZCARD', k_pending(1)),
        redis.call('ZCARD', k_pending(2)), redis.call('ZCARD', K_LEASED), oldest[2] or '0',
        counters[1] or '0', counters[2] or '0', counters[3] or '0'}
