-- Extends a live hold to min(now + extend_by, its maximum).
-- ARGV: hold, actor ('' for staff), now, extend_by_ms, fence ('' for none), key_grace_ms
local now = tonumber(ARGV[3])
local st = state()
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(st, ARGV[1], ARGV[2], now, ARGV[5])
if not h then return refusal end
local wanted = math.min(now + tonumber(ARGV[4]), h.max)
if wanted <= h.expires then
  if h.expires >= h.max then return { 'lifetime', int(math.max(h.max - h.placed, 0)) } end
  return hold_reply(h)
end
local t = next_tick(st)
if not t then return { 'ticks', st.epoch } end
rewrite_cells(h.seats, 'h' .. h.t .. ':', 'h' .. h.t .. ':' .. int(wanted))
h.expires, h.fence = wanted, int(t)
local hk = hold_key(h.t)
redis.call('HSET', hk, 'expires', int(wanted), 'fence', t)
redis.call('PEXPIRE', hk, int(h.max - now + tonumber(ARGV[6])))
redis.call('ZADD', owner_key(h.owner), int(wanted), h.t)
redis.call('ZADD', E, int(wanted), h.t)
redis.call('RPUSH', Q, 'X|' .. t .. '|' .. ARGV[3] .. '|' .. h.t .. '|' .. int(wanted))
return hold_reply(h)
