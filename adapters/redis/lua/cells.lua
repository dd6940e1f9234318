-- Every cell of the show: {'ok', seat, cell, seat, cell, ...}
local st = state()
if not st then return { 'not_ready' } end
local reply = { 'ok' }
for _, v in ipairs(redis.call('HGETALL', C)) do reply[#reply + 1] = v end
return reply
