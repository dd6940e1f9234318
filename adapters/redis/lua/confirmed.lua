-- After PostgreSQL confirmed a booking: its seats are sold for good. ARGV: booking, seats
local st = state()
if not st then return { 'not_ready' } end
rewrite_cells(ARGV[2], 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':')
redis.call('DEL', booking_key(ARGV[1]))
return { 'ok' }
