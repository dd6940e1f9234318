-- Ends up to `limit` holds expired at `now` (one queued event each), frees the cells of pending
-- bookings whose deadline has passed, and names the holds locked for a booking for longer than
-- `stale_ms`: the caller asks PostgreSQL whether that booking was written.
-- ARGV: now, limit, stale_ms
local st = state()
if not st then return { 'not_ready' } end
local now = tonumber(ARGV[1])
local expired, stale = 0, {}
for _, t in ipairs(redis.call('ZRANGEBYSCORE', E, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  local h = load_hold(st, t)
  if not h then
    redis.call('ZREM', E, t)
  elseif h.state == 'live' then
    if not end_hold(st, h, 'E', ARGV[1]) then return { 'ticks', st.epoch } end
    expired = expired + 1
  else
    local locked = tonumber(redis.call('HGET', hold_key(t), 'locked_at') or '0')
    if locked + tonumber(ARGV[3]) <= now then stale[#stale + 1] = t end
  end
end
local all = redis.call('HGETALL', C)
for i = 1, #all, 2 do
  local cell = all[i + 1]
  if string.sub(cell, 1, 1) == 'p' and not taken(cell, now) then redis.call('HDEL', C, all[i]) end
end
-- The queues live as long as the show's state (TTL only reclaims memory; expiry is decided above).
local ttl = redis.call('PTTL', S)
for _, k in ipairs({ E, Q }) do
  if ttl > 0 and redis.call('EXISTS', k) == 1 then redis.call('PEXPIRE', k, ttl) end
end
local reply = { 'ok', int(expired) }
for _, t in ipairs(stale) do reply[#reply + 1] = t end
return reply
