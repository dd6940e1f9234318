-- Reads a hold of this seeding. ARGV: hold, the hold's id (for the refusal)
local st = state()
if not st then return { 'not_ready' } end
local h = load_hold(ARGV[1], true)
if not h then return refuse('not_found', '{"entity":"hold","id":' .. ARGV[2] .. '}') end
return hold_reply(h)
