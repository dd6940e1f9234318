-- Undoes `confirm` when PostgreSQL refused the payment and the booking is still pending: its
-- marked cells are pending again, and so is its record. A cell that `confirmed` made sold
-- meanwhile (another payment of the booking won) is no mark any more and stays sold, and then
-- the record stays ended too; so does the booking's place in its owner's bookings list, which is
-- pending again only with its cells. ARGV: booking, seats, deadline, booking_ttl_ms, owner
local st, got = state('k' .. ARGV[5])
if not st then return { 'not_ready' } end
redis.call('ZREM', M, ARGV[1])
local args = cells_to({}, ARGV[2], 's' .. ARGV[1] .. ':m', 'p' .. ARGV[1] .. ':' .. ARGV[3])
if #args == 0 then return { 'ok', 0 } end
local restored = #args / 2
args[#args + 1] = 'k' .. ARGV[5]
args[#args + 1] = bookings_list(got[6], ARGV[1], nil, ARGV[3], seat_count(ARGV[2]))
write_state(args)
redis.call('SET', booking_key(ARGV[1]), ARGV[2] .. ';' .. ARGV[3] .. ';' .. ARGV[5], 'PX', ARGV[4])
return { 'ok', restored }
