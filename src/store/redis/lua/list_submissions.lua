-- ListSubmissions (read): newest first (ids sort by time) from one listing index: subs:all,
-- subs:problem:<pid>, subs:status:<st> or subs:problem:<pid>:status:<st>.
-- ARGV: index (key without prefix), before ('' = from the newest), count
-- Reply: {'OK', {submission_reply...}, ids_scanned, last_scanned_id}. Index entries whose record
-- is gone are skipped; the caller continues after last_scanned_id to fill its page.
local max = ARGV[2] == '' and '+' or ('(' .. ARGV[2])
local ids = redis.call('ZREVRANGEBYLEX', P .. ARGV[1], max, '-', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, sid in ipairs(ids) do
  local s = submission_reply(sid)
  if s then out[#out + 1] = s end
end
return {'OK', out, #ids, ids[#ids] or ''}
