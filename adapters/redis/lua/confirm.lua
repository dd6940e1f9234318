-- Before PostgreSQL confirms a booking: marks its seats sold while its deadline has not passed,
-- so that a confirmed booking's seats can never look free here, even if this process stops
-- before it hears PostgreSQL's answer. A mark ends the booking's record here (its seats and
-- deadline come back, for `unconfirm` to restore should PostgreSQL refuse). The mark is a sold
-- cell of its own, `s<booking>:m`: `confirmed` makes it `s<booking>:`, and `unconfirm` takes
-- back only marks, so a refused payment that loses a race to a paid one never makes the paid
-- seats pending again, whichever of the two follows PostgreSQL last. The mark pays the booking
-- in its owner's bookings list too (`unconfirm` takes that back). Returns how many cells
-- changed, the seeding it was made on, the seats, deadline and owner marked ('' when none), and
-- the queued events. ARGV: booking, now
local b = redis.call('GET', booking_key(ARGV[1]))
local s, d, owner
if b then s, d, owner = string.match(b, '^([^;]*);(%-?%d+);(.*)$') end
-- A pending booking is payable while its deadline is live (Booking::status_at).
local payable = d and live(d, ARGV[2])
local seats = payable and split(s) or {}
-- The booking is read first, so that one HMGET brings the state, the owner's bookings list (at
-- 6) and its cells (from 7).
local st, got = state(payable and ('k' .. owner) or '_', unpack(seats))
if not st then return { 'not_ready' } end
local changed, marked, deadline = 0, '', ''
if payable then
  local args = cells_to({}, seats, 'p' .. ARGV[1] .. ':' .. d, 's' .. ARGV[1] .. ':m', nil, nil, got, 7)
  changed, marked, deadline = #args / 2, s, d
  args[#args + 1] = 'k' .. owner
  args[#args + 1] = bookings_list(got[6], ARGV[1], nil, PAID, #seats)
  write_state(args)
  redis.call('DEL', booking_key(ARGV[1]))
  -- Until PostgreSQL's answer settles it (`confirmed`, `unconfirm`, `free`), the mark is indexed
  -- by the booking's deadline: past it, the sweeper asks PostgreSQL what became of the payment.
  if changed > 0 then redis.call('ZADD', M, d, ARGV[1]) end
end
return with_outbox({ 'ok', int(changed), st.epoch, marked, deadline, payable and owner or '' })
