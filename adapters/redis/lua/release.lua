-- Releases a live hold. ARGV: hold, actor ('' for staff), now, fence ('' for none)
local st = state()
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(st, ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4])
if not h then return refusal end
local t = end_hold(st, h, 'R', ARGV[3])
if not t then return { 'ticks', st.epoch } end
h.fence = int(t)
return hold_reply(h)
