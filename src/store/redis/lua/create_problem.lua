-- CreateProblem: assigns the next positive problem id.
-- ARGV: title, tasks_json, now, meta_json (the judging.md §2 extension keys; '{}' when plain)
-- Reply: {'OK', problem_id}
local pid = redis.call('INCR', P .. 'problems:seq')
redis.call('HSET', k_problem(pid), 'title', ARGV[1], 'tasks', ARGV[2], 'has_testdata', '0',
           'checksum', '', 'created_at', ARGV[3], 'meta', ARGV[4], 'context_io', '0')
return {'OK', pid}
