-- Last step of a booking: the hold's seats now belong to the pending booking PostgreSQL wrote.
-- The hold is read first, so that one HMGET brings the show's state, the owner's lists and the
-- hold's cells. The booking joins the owner's bookings list.
-- ARGV: hold, booking, payment_deadline, flushed_tick, booking_ttl_ms
local h = load_hold(ARGV[1])
local seats = h and split(h.seats)
-- got (with a hold): the state, the owner's lists of holds and bookings at 6 and 7, then a cell
-- per seat from 8.
local st, got
if h then st, got = state('o' .. h.owner, 'k' .. h.owner, unpack(seats)) else st = state() end
if not st then return { 'not_ready' } end
if h then
  local args = cells_to({}, seats, 'c' .. h.t .. ':', 'p' .. ARGV[2] .. ':' .. ARGV[3], 'h' .. h.t .. ':',
    nil, got, 8)
  args[#args + 1] = 'k' .. h.owner
  args[#args + 1] = bookings_list(got[7], ARGV[2], nil, ARGV[3], #seats)
  drop_hold(h, got[6], args)
  write_state(args)
  redis.call('SET', booking_key(ARGV[2]), h.seats .. ';' .. ARGV[3] .. ';' .. h.owner, 'PX', ARGV[5])
end
trim_outbox(tonumber(ARGV[4]))
return { 'ok' }
