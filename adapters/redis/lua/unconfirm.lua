-- Undoes `confirm` when PostgreSQL refused the payment and the booking is still pending: its
-- cells are pending again, and so is its record. ARGV: booking, seats, deadline, booking_ttl_ms
local st = state()
if not st then return { 'not_ready' } end
write_state(cells_to({}, ARGV[2], 's' .. ARGV[1] .. ':', 'p' .. ARGV[1] .. ':' .. ARGV[3]))
redis.call('SET', booking_key(ARGV[1]), ARGV[2] .. ';' .. ARGV[3], 'PX', ARGV[4])
return { 'ok' }
