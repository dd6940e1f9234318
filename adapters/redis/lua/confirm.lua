-- Before PostgreSQL confirms a booking: marks its seats sold while its deadline has not passed,
-- so that a confirmed booking's seats can never look free here, even if this process stops
-- before it hears PostgreSQL's answer. A mark ends the booking's record here (its seats and
-- deadline come back, for `unconfirm` to restore should PostgreSQL refuse). The mark is a sold
-- cell of its own, `s<booking>:m`: `confirmed` makes it `s<booking>:`, and `unconfirm` takes
-- back only marks, so a refused payment that loses a race to a paid one never makes the paid
-- seats pending again, whichever of the two follows PostgreSQL last. Returns how many
-- cells changed, the seeding it was made on, the seats and deadline marked ('' when none), and
-- the queued events. ARGV: booking, now
local st = state()
if not st then return { 'not_ready' } end
local changed, seats, deadline = 0, '', ''
local b = redis.call('GET', booking_key(ARGV[1]))
if b then
  local s, d = string.match(b, '^([^;]*);(%-?%d+)$')
  if tonumber(d) > tonumber(ARGV[2]) then
    local args = cells_to({}, s, 'p' .. ARGV[1] .. ':' .. d, 's' .. ARGV[1] .. ':m')
    changed, seats, deadline = #args / 2, s, d
    write_state(args)
    redis.call('DEL', booking_key(ARGV[1]))
  end
end
return with_outbox({ 'ok', int(changed), st.epoch, seats, deadline })
