-- PutTestdata: replaces the testdata zip, its checksum and whether it uses the ContextIO layout
-- (the size limit is checked by the caller before the bytes are sent).
-- ARGV: problem_id, zip, checksum, now, context_io ('0' or '1')
-- Reply: {'OK'} or NOT_FOUND.
if redis.call('EXISTS', k_problem(ARGV[1])) == 0 then
  return err('NOT_FOUND', 'no such problem: ' .. ARGV[1])
end
redis.call('SET', k_testdata(ARGV[1]), ARGV[2])
redis.call('HSET', k_problem(ARGV[1]), 'has_testdata', '1', 'checksum', ARGV[3],
           'testdata_at', ARGV[4], 'context_io', ARGV[5])
return {'OK'}
