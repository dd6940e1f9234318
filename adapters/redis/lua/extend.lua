-- Extends a live hold to min(now + extend_by, its maximum).
-- ARGV: hold, actor ('' for staff), now, extend_by_ms, fence ('' for none)
local now, actor = tonumber(ARGV[3]), ARGV[2]
local st, got
if actor ~= '' then st, got = state('o' .. actor) else st = state() end
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(ARGV[1], actor, now, ARGV[5], true)
if not h then return refusal end
local max, expires = tonumber(h.max), tonumber(h.expires)
local wanted = math.min(now + tonumber(ARGV[4]), max)
if wanted <= expires then
  if expires >= max then return { 'lifetime', int(math.max(max - tonumber(h.placed), 0)) } end
  return hold_reply(h)
end
local t = next_tick(st)
if not t then return { 'ticks', st.epoch } end
local list = actor ~= '' and got[6] or redis.call('HGET', S, 'o' .. h.owner)
h.expires, h.fence = int(wanted), int(t)
local args = { 'tick', h.fence, 'o' .. h.owner, owner_list(list, h.t, h.expires) }
write_state(cells_to(args, h.seats, nil, 'h' .. h.t .. ':' .. h.expires, nil, 'h'))
save_hold(h)
redis.call('ZADD', X, h.expires, h.t)
redis.call('RPUSH', Q, 'X|' .. h.fence .. '|' .. ARGV[3] .. '|' .. h.t .. '|' .. h.expires)
return hold_reply(h)
