-- Undoes `confirm` when PostgreSQL refused the payment and the booking is still pending: its
-- marked cells are pending again, and so is its record. A cell that `confirmed` made sold
-- meanwhile (another payment of the booking won) is no mark any more and stays sold, and then
-- the record stays ended too. ARGV: booking, seats, deadline, booking_ttl_ms
local st = state()
if not st then return { 'not_ready' } end
redis.call('ZREM', M, ARGV[1])
local args = cells_to({}, ARGV[2], 's' .. ARGV[1] .. ':m', 'p' .. ARGV[1] .. ':' .. ARGV[3])
if #args == 0 then return { 'ok', 0 } end
write_state(args)
redis.call('SET', booking_key(ARGV[1]), ARGV[2] .. ';' .. ARGV[3], 'PX', ARGV[4])
return { 'ok', #args / 2 }
