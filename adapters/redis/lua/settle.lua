-- Last step of a booking: the hold's seats now belong to the pending booking PostgreSQL wrote.
-- The hold is read first, so that one HMGET brings the show's state, the owner's list and the
-- hold's cells.
-- ARGV: hold, booking, payment_deadline, flushed_tick, booking_ttl_ms
local h = load_hold(ARGV[1])
local seats = h and split(h.seats)
-- got (with a hold): the state, the owner's list at 6, then a cell per seat from 7.
local st, got
if h then st, got = state('o' .. h.owner, unpack(seats)) else st = state() end
if not st then return { 'not_ready' } end
if h then
  local args = cells_to({}, seats, 'c' .. h.t .. ':', 'p' .. ARGV[2] .. ':' .. ARGV[3], 'h' .. h.t .. ':',
    nil, got, 7)
  drop_hold(h, got[6], args)
  write_state(args)
  redis.call('SET', booking_key(ARGV[2]), h.seats .. ';' .. ARGV[3], 'PX', ARGV[5])
end
trim_outbox(tonumber(ARGV[4]))
return { 'ok' }
