-- RevokeRunner: deletes the identity at once; its leases are left to expire (INV2).
-- ARGV: runner_id
-- Reply: {'OK'} or NOT_FOUND.
if redis.call('EXISTS', k_runner(ARGV[1])) == 0 then
  return err('NOT_FOUND', 'no such runner: ' .. ARGV[1])
end
delete_runner(ARGV[1])
return {'OK'}
