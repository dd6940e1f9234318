-- Ends up to `limit` holds expired at `now` (one queued event each), frees the cells of pending
-- bookings whose deadline has passed, and names the holds locked for a booking for longer than
-- `stale_ms`: the caller asks PostgreSQL whether that booking was written. The owners' lists
-- in S name every hold not yet ended, with its expiry.
-- ARGV: now, limit, stale_ms
local st = state()
if not st then return { 'not_ready' } end
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local expired, stale, due, freed, empty = 0, {}, {}, {}, {}
local all = redis.call('HGETALL', S)
for i = 1, #all, 2 do
  local field, value = all[i], all[i + 1]
  if string.sub(field, 1, 1) == 'o' then
    if value == '' then empty[#empty + 1] = field end
    for t, until_ in string.gmatch(value, '(%d+):(%-?%d+)') do
      if tonumber(until_) <= now and #due < limit then due[#due + 1] = { t, field } end
    end
  elseif string.match(field, '^%d+$') and string.sub(value, 1, 1) == 'p' and not taken(value, now) then
    freed[#freed + 1] = field
  end
end
retally(freed, 'p', nil)
delete_fields(freed)
delete_fields(empty)
for _, d in ipairs(due) do
  local h = load_hold(d[1])
  if not h then
    redis.call('HSET', S, d[2], owner_list(redis.call('HGET', S, d[2]), d[1]))
  elseif h.state == 'l' then
    if not end_hold(st, h, 'E', ARGV[1], redis.call('HGET', S, d[2]), false) then
      return { 'ticks', st.epoch }
    end
    expired = expired + 1
  elseif tonumber(h.locked ~= '' and h.locked or '0') + tonumber(ARGV[3]) <= now then
    stale[#stale + 1] = h.t
  end
end
-- The holds and the queue live as long as the show's state (TTL only reclaims memory; expiry is
-- decided above).
local ttl = redis.call('PTTL', S)
for _, k in ipairs({ H, Q, E }) do
  if ttl > 0 and redis.call('EXISTS', k) == 1 then redis.call('PEXPIRE', k, ttl) end
end
local reply = { 'ok', int(expired) }
for _, t in ipairs(stale) do reply[#reply + 1] = t end
return reply
