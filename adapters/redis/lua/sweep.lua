-- Ends up to `limit` holds expired at `now` (one queued event each), frees the cells of pending
-- bookings whose deadline has passed, and names the holds locked for a booking for longer than
-- `stale_ms`: the caller asks PostgreSQL whether that booking was written, and the bookings whose
-- seats are still marked sold past their deadline (M): the caller asks PostgreSQL whether the
-- payment went through. Found by their ends in X, E and M (see the prelude), not by reading the
-- show. Reply: ok, holds expired, n, n stale holds, marked bookings.
-- ARGV: now, limit, stale_ms
local st = state()
if not st then return { 'not_ready' } end
local now, limit = ARGV[1], tonumber(ARGV[2])
local expired, stale = 0, {}
-- The placeholders (scored -inf) are never due. Scores are doubles, so past 2^53 a member just
-- after `now` can be among them: what is ended is checked exactly first.
local function due(key)
  local out = {}
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', now, 'LIMIT', 0, limit + 1)) do
    if m ~= '_' and #out < limit then out[#out + 1] = m end
  end
  return out
end
for _, t in ipairs(due(X)) do
  local h = load_hold(t)
  if not h then
    redis.call('ZREM', X, t)
  elseif h.state == 'l' then
    if not live(h.expires, now) then
      if not end_hold(st, h, ev_hold_expired, now, redis.call('HGET', S, 'o' .. h.owner), false) then
        return { 'ticks', st.epoch }
      end
      expired = expired + 1
    end
  elseif tonumber(h.locked ~= '' and h.locked or '0') + tonumber(ARGV[3]) <= tonumber(now) then
    stale[#stale + 1] = h.t
  end
end
-- Seats marked sold for a payment whose answer never came back (PostgreSQL unreachable or
-- crashed mid-call), past the booking's deadline: the caller asks PostgreSQL what became of the
-- booking; each stays in M until it is settled either way.
local marks = due(M)
-- Cells that ended: a pending booking's past its deadline is freed; an expired hold's goes with
-- its hold (above, or in a later pass); one already gone leaves the tally.
local ended = due(E)
if #ended > 0 then
  local freed, gone = {}, {}
  for i, cell in ipairs(redis.call('HMGET', S, unpack(ended))) do
    local k = cell and string.sub(cell, 1, 1)
    if k == 'p' and not taken(cell, now) then
      freed[#freed + 1] = ended[i]
    elseif k ~= 'h' and k ~= 'p' then
      gone[#gone + 1] = ended[i]
    end
  end
  retally(freed, 'p', nil)
  delete_fields(freed)
  in_slices('ZREM', E, gone)
end
-- The holds, the queue and the tallies live as long as the show's state (TTL only reclaims
-- memory; expiry is decided above).
local ttl = redis.call('PTTL', S)
for _, k in ipairs({ H, Q, E, X, M, P }) do
  if ttl > 0 and redis.call('EXISTS', k) == 1 then redis.call('PEXPIRE', k, ttl) end
end
local reply = { 'ok', int(expired), int(#stale) }
for _, t in ipairs(stale) do reply[#reply + 1] = t end
for _, b in ipairs(marks) do reply[#reply + 1] = b end
return reply
