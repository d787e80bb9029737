-- GetSubmissionCode (read): the source and language.
-- ARGV: submission_id
-- Reply: {'OK', code, language} or NOT_FOUND.
local lang = redis.call('HGET', k_sub(ARGV[1]), 'language')
local code = redis.call('GET', k_code(ARGV[1]))
if not lang or not code then return err('NOT_FOUND', 'no code for submission: ' .. ARGV[1]) end
return {'OK', code, lang}
