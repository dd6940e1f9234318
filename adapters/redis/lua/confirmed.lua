-- After PostgreSQL confirmed a booking: its seats, pending or marked by `confirm`, are sold for
-- good, and the queued events up to `flushed` are in the log; the booking is paid in its owner's
-- bookings list.
-- ARGV: booking, seats, flushed tick ('' for none), owner
local st, got = state('k' .. ARGV[4])
if not st then return { 'not_ready' } end
redis.call('HSET', S, 'k' .. ARGV[4], bookings_list(got[6], ARGV[1], nil, PAID, seat_count(ARGV[2])))
if ARGV[3] and ARGV[3] ~= '' then trim_outbox(tonumber(ARGV[3])) end
write_state(cells_to({}, ARGV[2], 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':m'))
redis.call('DEL', booking_key(ARGV[1]))
redis.call('ZREM', M, ARGV[1])
return { 'ok' }
