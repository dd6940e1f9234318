-- Places a hold: every seat or none.
-- ARGV: now, expires, max_expires, owner_max, owner, quote, outbox_max, hold_ttl_ms, seat...
local now, expires, max_expires = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local owner, quote = ARGV[5], ARGV[6]
local st = state()
if not st then return { 'not_ready' } end
if st.status ~= 'scheduled' then return { 'show_cancelled' } end
local seats = {}
for i = 9, #ARGV do
  local n = tonumber(ARGV[i])
  if not n or n < 0 or n >= st.seats or n % 1 ~= 0 then return { 'invalid_seat', ARGV[i] } end
  seats[#seats + 1] = ARGV[i]
end
local owner_holds = owner_key(owner)
if redis.call('ZCOUNT', owner_holds, '(' .. ARGV[1], '+inf') >= tonumber(ARGV[4]) then
  return { 'limit', ARGV[4] }
end
local cells = redis.call('HMGET', C, unpack(seats))
local bad = { 'seat_unavailable' }
for i, cell in ipairs(cells) do
  if taken(cell, now) then bad[#bad + 1] = seats[i] end
end
if #bad > 1 then return bad end
local backlog = redis.call('LLEN', Q)
if backlog >= tonumber(ARGV[7]) then return { 'backlog' } end
local t = next_tick(st)
if not t then return { 'ticks', st.epoch } end
local csv = table.concat(seats, ',')
local cell, args = 'h' .. t .. ':' .. expires, {}
for _, seat in ipairs(seats) do
  args[#args + 1] = seat
  args[#args + 1] = cell
end
redis.call('HSET', C, unpack(args))
local hk = hold_key(t)
redis.call('HSET', hk, 'owner', owner, 'seats', csv, 'placed', ARGV[1], 'expires', expires,
  'max', max_expires, 'fence', t, 'quote', quote, 'state', 'live', 'epoch', st.epoch)
redis.call('PEXPIRE', hk, ARGV[8])
-- No TTL: the set empties (and Redis deletes it) as its holds end.
redis.call('ZADD', owner_holds, expires, t)
redis.call('ZADD', E, expires, t)
redis.call('RPUSH', Q, 'P|' .. t .. '|' .. ARGV[1] .. '|' .. t .. '|' .. expires .. '|' .. csv .. '|' .. owner)
return { 'ok', int(t), int(backlog + 1) }
