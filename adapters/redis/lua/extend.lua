-- Extends a live hold to min(now + extend_by, its maximum): `extension` in the prelude, given
-- now + extend_by as core computed it.
-- ARGV: hold, actor ('' for staff), now, now + extend_by_ms, fence ('' for none), the hold's id
-- (for refusals)
local actor = ARGV[2]
local st, got
if actor ~= '' then st, got = state('o' .. actor) else st = state() end
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(ARGV[1], ARGV[6], actor, ARGV[3], ARGV[5], true)
if not h then return refusal end
local wanted, lifetime = extension(h.placed, h.expires, h.max, ARGV[4])
if wanted == false then
  return refuse('limit_exceeded', '{"limit":"hold_lifetime_ms","max":' .. lifetime .. '}')
end
if not wanted then return hold_reply(h) end
local t = next_tick(st)
if not t then return { 'ticks', st.epoch } end
local list = actor ~= '' and got[6] or redis.call('HGET', S, 'o' .. h.owner)
h.expires, h.fence = wanted, int(t)
local args = { 'tick', h.fence, 'o' .. h.owner, owner_list(list, h.t, h.expires) }
write_state(cells_to(args, h.seats, nil, 'h' .. h.t .. ':' .. h.expires, nil, 'h'))
save_hold(h)
redis.call('ZADD', X, h.expires, h.t)
redis.call('RPUSH', Q, ev_hold_extended(h.fence, ARGV[3], h.t, h.expires))
return hold_reply(h)
