-- WriteTestdata: a new testdata zip, its checksum and whether it uses the ContextIO layout: a new
-- version of the problem (judging.md §6). The zip is stored as a new revision; the outgoing
-- version is kept while a lease judges it (begin_version / end_version in lib.lua). The size limit
-- is checked by the caller before the bytes are sent.
-- ARGV: problem_id, zip, checksum, now, context_io ('0' or '1'), features ('' = keep the classes
--       of pending jobs), expected_version ('' = unchecked)
-- Reply: {'OK', version, reclassed} or NOT_FOUND / ABORTED (nothing changed).
local pid = ARGV[1]
local current, judged = begin_version(pid, ARGV[7])
if not current then return judged end
local rev = int(redis.call('HINCRBY', k_problem(pid), 'testdata_seq', 1))
redis.call('SET', k_testdata_blob(pid, rev), ARGV[2])
redis.call('SADD', k_testdata_revs(pid), rev)
local version = int(current + 1)
redis.call('HSET', k_problem(pid), 'has_testdata', '1', 'checksum', ARGV[3], 'testdata_at', ARGV[4],
           'context_io', ARGV[5], 'testdata_rev', rev, 'version', version)
return end_version(pid, version, ARGV[6], judged)
