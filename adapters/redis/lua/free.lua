-- After PostgreSQL cancelled, refunded or expired a booking: its seats are free, and it leaves its
-- owner's bookings list. ARGV: booking, seats, '' (the place of `confirmed`'s flushed tick), owner
local st, got = state('k' .. ARGV[4])
if not st then return { 'not_ready' } end
local rest = bookings_list(got[6], ARGV[1])
if rest == '' then redis.call('HDEL', S, 'k' .. ARGV[4]) else redis.call('HSET', S, 'k' .. ARGV[4], rest) end
local seats, cells = cells_of(split(ARGV[2]), 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':')
retally(seats, cells, nil)
delete_fields(seats)
redis.call('DEL', booking_key(ARGV[1]))
redis.call('ZREM', M, ARGV[1])
return { 'ok' }
