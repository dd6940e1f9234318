-- After PostgreSQL cancelled, refunded or expired a booking: its seats are free. ARGV: booking, seats
local st = state()
if not st then return { 'not_ready' } end
delete_fields(cells_of(split(ARGV[2]), 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':'))
redis.call('DEL', booking_key(ARGV[1]))
return { 'ok' }
