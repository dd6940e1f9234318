-- Undoes `confirm` when PostgreSQL refused the payment and the booking is still pending.
-- ARGV: booking
local st = state()
if not st then return { 'not_ready' } end
local b = redis.call('GET', booking_key(ARGV[1]))
if b then
  local seats, deadline = string.match(b, '^([^;]*);(%-?%d+)$')
  write_state(cells_to({}, seats, 's' .. ARGV[1] .. ':', 'p' .. ARGV[1] .. ':' .. deadline))
end
return { 'ok' }
