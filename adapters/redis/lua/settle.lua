-- Last step of a booking: the hold's seats now belong to the pending booking PostgreSQL wrote.
-- ARGV: hold, booking, payment_deadline, flushed_tick, booking_ttl_ms
local st = state()
if not st then return { 'not_ready' } end
local h = load_hold(ARGV[1])
if h then
  local cell = 'p' .. ARGV[2] .. ':' .. ARGV[3]
  write_state(cells_to({}, h.seats, 'c' .. h.t .. ':', cell, 'h' .. h.t .. ':'))
  redis.call('SET', booking_key(ARGV[2]), h.seats .. ';' .. ARGV[3], 'PX', ARGV[5])
  drop_hold(h)
end
trim_outbox(tonumber(ARGV[4]))
return { 'ok' }
