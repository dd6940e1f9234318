-- Before PostgreSQL confirms a booking: marks its seats sold while its deadline has not passed,
-- so that a confirmed booking's seats can never look free here, even if this process stops
-- before it hears PostgreSQL's answer. Returns how many cells changed and the queued events.
-- ARGV: booking, now
local st = state()
if not st then return { 'not_ready' } end
local changed = 0
local b = redis.call('GET', booking_key(ARGV[1]))
if b then
  local seats, deadline = string.match(b, '^([^;]*);(%-?%d+)$')
  if tonumber(deadline) > tonumber(ARGV[2]) then
    local args = cells_to({}, seats, 'p' .. ARGV[1] .. ':' .. deadline, 's' .. ARGV[1] .. ':')
    changed = #args / 2
    write_state(args)
  end
end
return with_outbox({ 'ok', int(changed) })
