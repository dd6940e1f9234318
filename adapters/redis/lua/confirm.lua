-- Before PostgreSQL confirms a booking: marks its seats sold while its deadline has not passed,
-- so that a confirmed booking's seats can never look free here, even if this process stops
-- before it hears PostgreSQL's answer. Returns how many cells changed and the queued events.
-- ARGV: booking, now
local st = state()
if not st then return { 'not_ready' } end
local changed = 0
local b = redis.call('GET', booking_key(ARGV[1]))
if b then
  local seats, deadline = string.match(b, '^([^;]*);(%d+)$')
  if tonumber(deadline) > tonumber(ARGV[2]) then
    local list = split(seats)
    local cells = redis.call('HMGET', C, unpack(list))
    for i, cell in ipairs(cells) do
      if cell == 'p' .. ARGV[1] .. ':' .. deadline then
        redis.call('HSET', C, list[i], 's' .. ARGV[1] .. ':')
        changed = changed + 1
      end
    end
  end
end
return with_outbox({ 'ok', int(changed) })
