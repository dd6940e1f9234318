-- After PostgreSQL cancelled, refunded or expired a booking: its seats are free. ARGV: booking, seats
local st = state()
if not st then return { 'not_ready' } end
local seats, cells = cells_of(split(ARGV[2]), 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':')
retally(seats, cells, nil)
delete_fields(seats)
redis.call('DEL', booking_key(ARGV[1]))
redis.call('ZREM', M, ARGV[1])
return { 'ok' }
