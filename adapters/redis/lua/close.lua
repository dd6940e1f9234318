-- Cancelling the show: refuses holds from now on and releases every hold (one queued event
-- each), except those being booked (PostgreSQL decides those). Runs again harmlessly.
-- ARGV: now
local st = state()
if not st then return { 'not_ready' } end
redis.call('HSET', S, 'status', 'cancelled')
local released = {}
for _, t in ipairs(redis.call('ZRANGE', E, 0, -1)) do
  local h = load_hold(st, t)
  if not h then
    redis.call('ZREM', E, t)
  elseif h.state == 'live' then
    if not end_hold(st, h, 'R', ARGV[1]) then return { 'ticks', st.epoch } end
    released[#released + 1] = h.t
  end
end
return with_outbox({ 'ok', int(#released), unpack(released) })
