-- After PostgreSQL cancelled, refunded or expired a booking: its seats are free. ARGV: booking, seats
local st = state()
if not st then return { 'not_ready' } end
rewrite_cells(ARGV[2], 'p' .. ARGV[1] .. ':', nil)
rewrite_cells(ARGV[2], 's' .. ARGV[1] .. ':', nil)
redis.call('DEL', booking_key(ARGV[1]))
return { 'ok' }
