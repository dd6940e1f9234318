-- Every field of the show's state, cells among them: {'ok', field, value, field, value, ...}
-- (the caller keeps the cells: the fields named by a seat's index).
local st = state()
if not st then return { 'not_ready' } end
local reply = { 'ok' }
for _, v in ipairs(redis.call('HGETALL', S)) do reply[#reply + 1] = v end
return reply
