-- Shared helpers, prepended to every script of src/store/redis/lua/ when it is embedded (so each
-- EVALSHA is self-contained). Key layout: docs/redis.md. KEYS[1] is the key prefix ("noj:").
--
-- Rules every script follows:
--  * every check comes before the first write, so a script either returns an error having
--    changed nothing, or completes all its writes (Redis does not roll a failed script back);
--  * `now` and every other time come from ARGV (never TIME), numbers are epoch milliseconds;
--  * replies are arrays whose first element is 'OK' or an error code (NOT_FOUND, ABORTED, ...)
--    followed by a human message.
--
-- Constants shared with the C++ side are not written here: scripts.cc puts a generated prelude
-- before this file (LuaConstants(): STATUS_PENDING, STATUS_JE, ... from api::Verdict), so a
-- change on the C++ side reaches every script (and changes its SHA-1).

local P = KEYS[1]

local K_JOB_SEQ = P .. 'jobs:seq'
local K_LEASED = P .. 'jobs:leased'
local K_PENDING_AGE = P .. 'jobs:pending:age'
local K_STATS = P .. 'stats'
local K_RUNNERS_ORDER = P .. 'runners:order'
local K_RUNNERS_EXPIRY = P .. 'runners:expiry'
-- Requirement classes (judging.md §5, api::RequirementsKey "<language>:<feature bits>") that have
-- pending / leased jobs: what a claim walks, O(number of classes).
local K_PENDING_CLASSES = P .. 'jobs:classes:pending'
local K_LEASED_CLASSES = P .. 'jobs:classes:leased'
-- A class's pending queue is scored priority * PRIORITY_SPAN + seq: priority first, then FIFO.
-- Exact in a double while seq < 2^50; passed to ZADD as decimal text (int()).
local PRIORITY_SPAN = 1125899906842624

local function k_pending(prio) return P .. 'jobs:pending:' .. prio end
local function k_job(id) return P .. 'job:' .. id end
local function k_sub(sid) return P .. 'sub:' .. sid end
local function k_code(sid) return P .. 'sub-code:' .. sid end
local function k_out(sid) return P .. 'sub-out:' .. sid end
local function k_problem(pid) return P .. 'problem:' .. pid end
local function k_testdata(pid) return P .. 'testdata:' .. pid end
-- Problem versions (judging.md §6): problem:<pid> holds the current one (field version, absent =
-- 1); problem-ver:<pid>:<v> a copy of an older one a lease still judges, listed in
-- problem-vers:<pid>. Zips are kept per revision (testdata_rev of a version): testdata:<pid>:<rev>,
-- revision '0' being the single key testdata:<pid> of a store written before versions;
-- testdata-revs:<pid> lists the revisions stored.
local function k_problem_ver(pid, v) return P .. 'problem-ver:' .. pid .. ':' .. v end
local function k_problem_vers(pid) return P .. 'problem-vers:' .. pid end
local function k_testdata_revs(pid) return P .. 'testdata-revs:' .. pid end
local function k_testdata_blob(pid, rev)
  if not rev or rev == '' or rev == '0' then return k_testdata(pid) end
  return k_testdata(pid) .. ':' .. rev
end
local function k_runner(rn) return P .. 'runner:' .. rn end
local function k_runner_jobs(rn) return P .. 'runner-jobs:' .. rn end
local function k_token(sha) return P .. 'token:' .. sha end
local function k_class_pending(c) return P .. 'jobs:class:' .. c .. ':pending' end
local function k_class_age(c) return P .. 'jobs:class:' .. c .. ':age' end
local function k_class_leased(c) return P .. 'jobs:class:' .. c .. ':leased' end

-- The callback outbox (store.h "result callbacks", docs/redis.md): dlv:<event_id> is a delivery;
-- the dlvs: family (another prefix, so no event id can name an index) indexes them. A pending
-- delivery is in K_DLV_DUE scored by next_attempt_at (a lease sets it to lease_until: due again
-- when the lease runs out), in K_DLV_AGE and its url's zset by created_at; a leased one also in
-- K_DLV_LEASED by lease_until; a dead one in K_DLV_DEAD by created_at and counted per url.
local K_DLV_DUE = P .. 'dlvs:due'
local K_DLV_AGE = P .. 'dlvs:age'
local K_DLV_LEASED = P .. 'dlvs:leased'
local K_DLV_DEAD = P .. 'dlvs:dead'
local K_DLV_STATS = P .. 'dlvs:stats'             -- delivered_total, superseded_total
local K_DLV_TARGETS = P .. 'dlvs:targets'         -- urls with a pending or dead delivery
local K_DLV_TARGET_DEAD = P .. 'dlvs:target-dead' -- url -> dead deliveries
local function k_dlv(ev) return P .. 'dlv:' .. ev end
local function k_dlv_target(url) return P .. 'dlvs:target:' .. url end  -- pending, by created_at

local function err(code, message) return {code, message} end

-- Integers as decimal text (no exponent), for replies and stored fields.
local function int(n) return string.format('%d', n) end

local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

-- A stored priority (a decimal string) within PRIORITY_MIN..PRIORITY_MAX (generated from C++). The
-- scripts check only what they read back: the C++ side validated the priority it passes in.
local function valid_priority(p)
  local n = tonumber(p)
  return n ~= nil and n == math.floor(n) and n >= PRIORITY_MIN and n <= PRIORITY_MAX
end

-- "<language>:<feature bits>", both decimal (a class key as C++ writes it).
local function valid_class(c) return string.match(c, '^%d+:%d+$') ~= nil end

-- The job as a table (numbers converted), or nil if absent. job.corrupt names what is wrong
-- with a record that exists but cannot be used; job.id and job.sub are always set.
local function load_job(id)
  local h = hgetall(k_job(id))
  if not h then return nil end
  local job = {
    id = id, sub = h.sub or '', problem = h.problem or '', language = h.language or '0',
    priority = h.priority or '', state = h.state or '', attempts = tonumber(h.attempts),
    runner = h.runner or '', deadline = tonumber(h.deadline), enqueued_at = h.enqueued_at or '0',
    -- class: absent on jobs written before requirement classes (they need their language only)
    class = h.class or ((h.language or '0') .. ':0'),
    pver = h.pver or '0',  -- the problem version its lease judges (absent before versions)
  }
  if job.attempts == nil then
    job.attempts = 0
    job.corrupt = 'attempts'
  elseif not valid_priority(job.priority) then
    job.corrupt = 'priority'
  elseif not valid_class(job.class) then
    job.corrupt = 'class'
  elseif job.state == 'leased' then
    if job.runner == '' or job.deadline == nil then job.corrupt = 'lease' end
  elseif job.state ~= 'pending' then
    job.corrupt = 'state'
  end
  return job
end

-- A JobRecord as field/value pairs (the names stored in job:<id>, plus 'id'), read by codec.cc.
local function job_reply(job)
  local r = {'id', job.id, 'sub', job.sub, 'problem', job.problem, 'language', job.language,
             'priority', job.priority, 'state', job.state, 'attempts', int(job.attempts),
             'enqueued_at', job.enqueued_at, 'class', job.class, 'pver', job.pver}
  if job.state == 'leased' then
    r[#r + 1] = 'runner'
    r[#r + 1] = job.runner
    r[#r + 1] = 'deadline'
    r[#r + 1] = int(job.deadline)
  end
  return r
end

local function is_current(job)
  return redis.call('HGET', k_sub(job.sub), 'current_job') == job.id
end

-- A class stays in K_PENDING_CLASSES / K_LEASED_CLASSES exactly while its queue is not empty.
local function forget_class_if_empty(class)
  if redis.call('ZCARD', k_class_pending(class)) == 0 then
    redis.call('SREM', K_PENDING_CLASSES, class)
  end
  if redis.call('ZCARD', k_class_leased(class)) == 0 then
    redis.call('SREM', K_LEASED_CLASSES, class)
  end
end

-- Takes a job id out of the pending indexes (per priority, per class, ages).
local function unindex_pending(id, priority, class)
  redis.call('ZREM', K_PENDING_AGE, id)
  if valid_priority(priority) then redis.call('ZREM', k_pending(priority), id) end
  redis.call('ZREM', k_class_pending(class), id)
  redis.call('ZREM', k_class_age(class), id)
  forget_class_if_empty(class)
end

-- Indexes a leased job by its deadline (all leases, and its class's), or takes it out.
local function index_leased(id, class, deadline)
  redis.call('ZADD', K_LEASED, deadline, id)
  redis.call('ZADD', k_class_leased(class), deadline, id)
  redis.call('SADD', K_LEASED_CLASSES, class)
end
local function unindex_leased(id, class)
  redis.call('ZREM', K_LEASED, id)
  redis.call('ZREM', k_class_leased(class), id)
  forget_class_if_empty(class)
end

-- Removes the job and every index entry that may name it.
local function delete_job(job)
  redis.call('DEL', k_job(job.id))
  unindex_leased(job.id, job.class)
  unindex_pending(job.id, job.priority, job.class)
  if job.runner ~= '' then redis.call('SREM', k_runner_jobs(job.runner), job.id) end
end

-- Puts a (new or returned) job at the end of its priority's queue, in its class's queue too.
local function push_pending(id, priority, class, enqueued_at)
  local seq = redis.call('INCR', K_JOB_SEQ)
  redis.call('ZADD', k_pending(priority), seq, id)
  redis.call('ZADD', K_PENDING_AGE, enqueued_at, id)
  redis.call('ZADD', k_class_pending(class), int(tonumber(priority) * PRIORITY_SPAN + seq), id)
  redis.call('ZADD', k_class_age(class), enqueued_at, id)
  redis.call('SADD', K_PENDING_CLASSES, class)
  return seq
end

-- The listing indexes of a submission by status (subs:all and subs:problem:<pid> never change).
local function index_status(sid, problem, old_status, new_status)
  if old_status == new_status then return end
  if old_status then
    redis.call('ZREM', P .. 'subs:status:' .. old_status, sid)
    redis.call('ZREM', P .. 'subs:problem:' .. problem .. ':status:' .. old_status, sid)
  end
  redis.call('ZADD', P .. 'subs:status:' .. new_status, 0, sid)
  redis.call('ZADD', P .. 'subs:problem:' .. problem .. ':status:' .. new_status, 0, sid)
end

-- A url stays in K_DLV_TARGETS exactly while it has a pending or a dead delivery.
local function dlv_forget_target_if_empty(url)
  if redis.call('ZCARD', k_dlv_target(url)) == 0 and
     tonumber(redis.call('HGET', K_DLV_TARGET_DEAD, url) or '0') <= 0 then
    redis.call('SREM', K_DLV_TARGETS, url)
    redis.call('HDEL', K_DLV_TARGET_DEAD, url)
  end
end

-- Indexes a pending delivery (not leased) due at `due`, created at `created`.
local function dlv_index_pending(ev, url, created, due)
  redis.call('ZADD', K_DLV_DUE, due, ev)
  redis.call('ZADD', K_DLV_AGE, created, ev)
  redis.call('ZADD', k_dlv_target(url), created, ev)
  redis.call('SADD', K_DLV_TARGETS, url)
end

-- Takes a pending delivery out of every pending index (its url stays listed if still used).
local function dlv_unindex_pending(ev, url)
  redis.call('ZREM', K_DLV_DUE, ev)
  redis.call('ZREM', K_DLV_AGE, ev)
  redis.call('ZREM', K_DLV_LEASED, ev)
  redis.call('ZREM', k_dlv_target(url), ev)
end

-- A delivery as {event_id, {field, value...}} (codec.cc DecodeDelivery), or nil if absent.
local function dlv_reply(ev)
  local flat = redis.call('HGETALL', k_dlv(ev))
  if #flat == 0 then return nil end
  return {ev, flat}
end

-- The outbox half of a landing: one pending delivery of job `jid`'s result to `url`, due now.
local function write_delivery(sid, jid, url, now)
  local ev = 'msg_' .. jid
  redis.call('HSET', k_dlv(ev), 'sub', sid, 'job', jid, 'url', url, 'state', 'pending',
             'attempts', '0', 'created_at', now, 'next_attempt_at', now, 'lease_owner', '',
             'lease_until', '0', 'last_attempt_at', '0', 'last_error', '')
  dlv_index_pending(ev, url, now, now)
end

-- Writes the final result of a submission and replaces its case outputs. `outputs` is a flat
-- list field, value, field, value... (fields "<task>:<case>:o" / ":e"), possibly empty.
-- Every landing goes through here (Complete, and every JE through land_je), so this is where
-- the outbox is written in the same step (INV1): only a current job lands (INV4), so the
-- submission's current_job is the job whose result this is.
local function write_result(sid, status, score, time, memory, result_json, attempts, now, outputs)
  local key = k_sub(sid)
  local old = redis.call('HMGET', key, 'status', 'problem', 'callback_url', 'current_job')
  redis.call('HSET', key, 'status', status, 'score', score, 'time', time, 'memory', memory,
             'attempts', attempts, 'judged_at', now, 'result', result_json)
  redis.call('DEL', k_out(sid))
  local n = #outputs
  local i = 1
  while i <= n do  -- in chunks: unpack() of a huge list would overflow the Lua stack
    local last = math.min(i + 199, n)
    redis.call('HSET', k_out(sid), unpack(outputs, i, last))
    i = last + 1
  end
  if old[2] then index_status(sid, old[2], old[1], status) end
  if old[3] and old[3] ~= '' and old[4] then write_delivery(sid, old[4], old[3], now) end
  redis.call('HINCRBY', K_STATS, 'results_total', 1)
end

-- Lands Judge Error (status STATUS_JE, score 0, ARGV-supplied JSON) for the job's submission and
-- deletes the job. `je` = {json=..., now=..., converged={...}, corrupt={...}, missing={...}}:
-- every submission given JE is in `converged`; those whose job record was unreadable also in
-- `corrupt`, those whose problem is gone in `missing` (the others were exhausted).
local function land_je(job, attempts, je)
  write_result(job.sub, STATUS_JE, '0', '0', '0', je.json, int(attempts), je.now, {})
  delete_job(job)
  redis.call('HINCRBY', K_STATS, 'judge_error_total', 1)
  table.insert(je.converged, job.sub)
end

-- Settles a job met by a scan if it can never run again: not current (discarded), corrupted
-- (JE when current), attempts >= max or problem gone (JE). Returns true if it removed the job.
local function settle_if_dead(job, max_attempts, je, discarded)
  if not is_current(job) then
    delete_job(job)
    table.insert(discarded, job.id)
    return true
  end
  if job.corrupt or job.attempts >= max_attempts then
    land_je(job, job.attempts, je)
    if job.corrupt then table.insert(je.corrupt, job.sub) end
    return true
  end
  if redis.call('EXISTS', k_problem(job.problem)) == 0 then
    land_je(job, job.attempts, je)
    table.insert(je.missing, job.sub)
    return true
  end
  return false
end

-- The job if `rn` holds its lease with `attempt` (when not ''), else nil and an error reply:
-- NOT_FOUND if absent, ABORTED otherwise (INV7), INTERNAL if corrupted. An expired lease that was
-- not reclaimed yet is still held.
local function held_job(rn, id, attempt)
  local job = load_job(id)
  if not job then return nil, err('NOT_FOUND', 'no such job: ' .. id) end
  if job.corrupt then return nil, err('INTERNAL', 'corrupted job ' .. id .. ': ' .. job.corrupt) end
  if job.state ~= 'leased' or job.runner ~= rn then
    return nil, err('ABORTED', 'runner ' .. rn .. ' does not hold the lease of ' .. id)
  end
  if attempt ~= '' and tonumber(attempt) ~= job.attempts then
    return nil, err('ABORTED', 'attempt ' .. attempt .. ' of ' .. id ..
                    ' is not the current one (' .. int(job.attempts) .. ')')
  end
  return job
end

-- The fields of a RunnerRecord, in the order codec.cc reads them (nil if absent).
local function runner_reply(rn)
  local r = redis.call('HMGET', k_runner(rn), 'name', 'token', 'registered_at', 'last_seen',
                       'expires_at', 'sandbox', 'capabilities', 'speed_score')
  if not r[5] then return nil end
  -- sandbox, capabilities, speed_score: absent on identities written before they existed
  -- ('' = the default, or not reported)
  return {rn, r[1] or '', r[2] or '', r[3] or '0', r[4] or '0', r[5], r[6] or '', r[7] or '',
          r[8] or ''}
end

-- Deletes a runner identity and its index entries. Its leases stay (INV2): runner-jobs:<rn>
-- keeps naming them until each lease ends.
local function delete_runner(rn)
  local token = redis.call('HGET', k_runner(rn), 'token')
  if token then redis.call('ZREM', k_token(token), rn) end
  redis.call('DEL', k_runner(rn))
  redis.call('ZREM', K_RUNNERS_ORDER, rn)
  redis.call('ZREM', K_RUNNERS_EXPIRY, rn)
end

-- A submission as {sid, {hash field/value...}, job_state, job_runner}, or nil if absent.
-- job_state is '' when the current job no longer exists (final), else 'pending' / 'leased'.
local function submission_reply(sid)
  local flat = redis.call('HGETALL', k_sub(sid))
  if #flat == 0 then return nil end
  local current = nil
  for i = 1, #flat, 2 do
    if flat[i] == 'current_job' then current = flat[i + 1] end
  end
  local state, runner = '', ''
  if current then
    local j = redis.call('HMGET', k_job(current), 'state', 'runner')
    state = j[1] or ''
    if state == 'leased' then runner = j[2] or '' end
  end
  return {sid, flat, state, runner}
end

-- Rejudge of one submission (rejudge.lua, rejudge_problem.lua): a new current job `jid` (pending,
-- attempts 0) in class `class` ('' = the submission's), the submission reset to pending. REQUIRES:
-- the submission exists, jid is free, prio is valid, class is '' or valid for its language.
local function rejudge_submission(sid, jid, prio, now, class)
  local s = redis.call('HMGET', k_sub(sid), 'problem', 'language', 'status', 'class')
  local lang = s[2] or '0'
  if class == '' then class = s[4] or '' end
  if not valid_class(class) then class = lang .. ':0' end  -- absent on older submissions
  local seq = push_pending(jid, prio, class, now)
  redis.call('HSET', k_job(jid), 'sub', sid, 'problem', s[1], 'language', lang, 'priority', prio,
             'state', 'pending', 'attempts', '0', 'enqueued_at', now, 'seq', seq, 'class', class)
  redis.call('HSET', k_sub(sid), 'current_job', jid, 'priority', prio, 'status', STATUS_PENDING,
             'score', '0', 'time', '0', 'memory', '0', 'attempts', '0', 'judged_at', '0', 'class',
             class)
  redis.call('HDEL', k_sub(sid), 'result')
  redis.call('DEL', k_out(sid))
  index_status(sid, s[1], s[3], STATUS_PENDING)
end

-- The current version of a problem as text ('1' when written before versions), nil if absent.
local function problem_version(pid)
  local v = redis.call('HMGET', k_problem(pid), 'created_at', 'version')
  if not v[1] then return nil end
  return v[2] or '1'
end

-- The versions of problem `pid` that leased jobs judge (expired leases not yet reclaimed
-- included), as a set. O(leased jobs): bounded by the runners and their lease bound.
local function judged_versions(pid)
  local out = {}
  for _, id in ipairs(redis.call('ZRANGE', K_LEASED, 0, -1)) do
    local j = redis.call('HMGET', k_job(id), 'problem', 'state', 'pver')
    if j[1] == pid and j[2] == 'leased' then out[j[3] or '1'] = true end
  end
  return out
end

-- The first half of a version write: the compare-and-set (`expected`, '' = unchecked), and a copy
-- of the outgoing version when a lease judges it. Returns the outgoing version (a number) and the
-- judged set, or nil and an error reply (nothing written).
local function begin_version(pid, expected)
  local h = redis.call('HMGET', k_problem(pid), 'created_at', 'version', 'has_testdata',
                       'testdata_rev')
  if not h[1] then return nil, err('NOT_FOUND', 'no such problem: ' .. pid) end
  local current = h[2] or '1'
  if expected ~= '' and expected ~= current then
    return nil, err('ABORTED', 'problem ' .. pid .. ' is at version ' .. current .. ', not ' ..
                    expected .. ': it changed meanwhile')
  end
  local judged = judged_versions(pid)
  if judged[current] then
    local flat = redis.call('HGETALL', k_problem(pid))
    redis.call('DEL', k_problem_ver(pid, current))
    redis.call('HSET', k_problem_ver(pid, current), unpack(flat))
    redis.call('HSET', k_problem_ver(pid, current), 'version', current, 'testdata_rev',
               h[4] or '0')
    redis.call('SADD', k_problem_vers(pid), current)
  end
  if h[3] == '1' then redis.call('SADD', k_testdata_revs(pid), h[4] or '0') end
  return tonumber(current), judged
end

-- Moves the problem's pending current jobs (and their submissions) to the class
-- "<language>:<features>", keeping their place. O(the problem's unjudged submissions).
local function reclass_pending(pid, features)
  local n = 0
  local unjudged = P .. 'subs:problem:' .. pid .. ':status:' .. STATUS_PENDING
  for _, sid in ipairs(redis.call('ZRANGE', unjudged, 0, -1)) do
    local jid = redis.call('HGET', k_sub(sid), 'current_job')
    local job = jid and load_job(jid)
    if job and not job.corrupt and job.state == 'pending' then
      local class = job.language .. ':' .. features
      if class ~= job.class then
        local score = redis.call('ZSCORE', k_class_pending(job.class), job.id)
        redis.call('ZREM', k_class_pending(job.class), job.id)
        redis.call('ZREM', k_class_age(job.class), job.id)
        forget_class_if_empty(job.class)
        if score then
          redis.call('ZADD', k_class_pending(class), score, job.id)
          redis.call('ZADD', k_class_age(class), job.enqueued_at, job.id)
          redis.call('SADD', K_PENDING_CLASSES, class)
        end
        redis.call('HSET', k_job(job.id), 'class', class)
        redis.call('HSET', k_sub(sid), 'class', class)
        n = n + 1
      end
    end
  end
  return n
end

-- The second half of a version write (after the caller wrote version `version`): drops the kept
-- versions no lease judges and the zips no version uses, re-classes pending jobs when `features`
-- is not ''. Returns the script's reply {'OK', version, reclassed}.
local function end_version(pid, version, features, judged)
  for _, v in ipairs(redis.call('SMEMBERS', k_problem_vers(pid))) do
    if not judged[v] then
      redis.call('DEL', k_problem_ver(pid, v))
      redis.call('SREM', k_problem_vers(pid), v)
    end
  end
  local keep = {[redis.call('HGET', k_problem(pid), 'testdata_rev') or '0'] = true}
  for _, v in ipairs(redis.call('SMEMBERS', k_problem_vers(pid))) do
    keep[redis.call('HGET', k_problem_ver(pid, v), 'testdata_rev') or '0'] = true
  end
  for _, rev in ipairs(redis.call('SMEMBERS', k_testdata_revs(pid))) do
    if not keep[rev] then
      redis.call('DEL', k_testdata_blob(pid, rev))
      redis.call('SREM', k_testdata_revs(pid), rev)
    end
  end
  local reclassed = 0
  if features ~= '' then reclassed = reclass_pending(pid, features) end
  return {'OK', version, reclassed}
end
