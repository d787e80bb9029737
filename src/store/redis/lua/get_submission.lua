-- GetSubmission (read): the record with the state of its current job.
-- ARGV: submission_id
-- Reply: {'OK', submission_reply} or NOT_FOUND.
local s = submission_reply(ARGV[1])
if not s then return err('NOT_FOUND', 'no such submission: ' .. ARGV[1]) end
return {'OK', s}
