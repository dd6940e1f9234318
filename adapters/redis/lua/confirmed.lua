-- After PostgreSQL confirmed a booking: its seats, pending or marked by `confirm`, are sold for
-- good, and the queued events up to `flushed` are in the log.
-- ARGV: booking, seats, flushed tick ('' or absent: none)
local st = state()
if not st then return { 'not_ready' } end
if ARGV[3] and ARGV[3] ~= '' then trim_outbox(tonumber(ARGV[3])) end
write_state(cells_to({}, ARGV[2], 'p' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':', 's' .. ARGV[1] .. ':m'))
redis.call('DEL', booking_key(ARGV[1]))
redis.call('ZREM', M, ARGV[1])
return { 'ok' }
