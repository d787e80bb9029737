-- ForgetExpiredRunners: deletes every identity whose expiry is <= now. One script, so several
-- servers collecting at once each delete a runner at most once.
-- ARGV: now
-- Reply: {'OK', count}
local expired = redis.call('ZRANGEBYSCORE', K_RUNNERS_EXPIRY, '-inf', ARGV[1])
for _, rn in ipairs(expired) do delete_runner(rn) end
return {'OK', #expired}
