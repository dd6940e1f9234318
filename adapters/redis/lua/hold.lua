-- Reads a hold of this seeding. ARGV: hold
local st = state()
if not st then return { 'not_ready' } end
local h = load_hold(ARGV[1], true)
if not h then return { 'not_found' } end
return hold_reply(h)
