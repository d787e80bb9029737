-- RegisterRunner: stores an identity (token as SHA-256 only) with its expiry and what it can do.
-- ARGV: runner_id, name, token_sha256, registered_at, last_seen, expires_at, sandbox,
--       capabilities (api::RunnerCapabilitiesToText), speed_score ('' when not reported)
-- Reply: {'OK'} or ALREADY_EXISTS.
local rn = ARGV[1]
if redis.call('EXISTS', k_runner(rn)) == 1 then
  return err('ALREADY_EXISTS', 'runner id taken: ' .. rn)
end
local seq = redis.call('INCR', P .. 'runners:seq')
redis.call('HSET', k_runner(rn), 'name', ARGV[2], 'token', ARGV[3], 'registered_at', ARGV[4],
           'last_seen', ARGV[5], 'expires_at', ARGV[6], 'seq', seq, 'sandbox', ARGV[7] or '',
           'capabilities', ARGV[8] or '', 'speed_score', ARGV[9] or '')
redis.call('ZADD', K_RUNNERS_ORDER, seq, rn)
redis.call('ZADD', K_RUNNERS_EXPIRY, ARGV[6], rn)
redis.call('ZADD', k_token(ARGV[3]), seq, rn)
return {'OK'}
