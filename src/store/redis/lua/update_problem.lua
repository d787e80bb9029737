-- UpdateProblem: new title, tasks and meta (a new version, judging.md §6); the testdata is kept
-- (same revision). Pending jobs move to "<language>:<features>"; leased ones keep their class and
-- version.
-- ARGV: problem_id, title, tasks_json, meta_json, checksum, features, expected_version
-- Reply: {'OK', version, reclassed} or NOT_FOUND / ABORTED (nothing changed).
local pid = ARGV[1]
local current, judged = begin_version(pid, ARGV[7])
if not current then return judged end
local checksum = ARGV[5]
if redis.call('HGET', k_problem(pid), 'has_testdata') ~= '1' then checksum = '' end
local version = int(current + 1)
redis.call('HSET', k_problem(pid), 'title', ARGV[2], 'tasks', ARGV[3], 'meta', ARGV[4], 'checksum',
           checksum, 'version', version)
return end_version(pid, version, ARGV[6], judged)
