-- Releases a live hold. ARGV: hold, actor ('' for staff), now, fence ('' for none), the hold's id
-- (for refusals)
local actor = ARGV[2]
local st, got
if actor ~= '' then st, got = state('o' .. actor) else st = state() end
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(ARGV[1], ARGV[5], actor, ARGV[3], ARGV[4], true)
if not h then return refusal end
local list = actor ~= '' and got[6] or redis.call('HGET', S, 'o' .. h.owner)
local t = end_hold(st, h, ev_hold_released, ARGV[3], list, true)
if not t then return { 'ticks', st.epoch } end
h.fence = int(t)
return hold_reply(h)
