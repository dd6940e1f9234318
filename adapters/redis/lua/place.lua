-- Places a hold: every seat or none.
-- ARGV: now, expires, max_expires, owner_max, owner, quote, outbox_max, seat...
local now = tonumber(ARGV[1])
local owner = ARGV[5]
local fields = { 'o' .. owner }
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
local st, got = state(unpack(fields))
if not st then return { 'not_ready' } end
if st.status ~= 'scheduled' then return { 'show_cancelled' } end
local seats = {}
for i = 8, #ARGV do
  local n = tonumber(ARGV[i])
  if not n or n < 0 or n >= st.seats or n % 1 ~= 0 then return { 'invalid_seat', ARGV[i] } end
  seats[#seats + 1] = ARGV[i]
end
local list = got[6]
if live_count(list, now) >= tonumber(ARGV[4]) then return { 'limit', ARGV[4] } end
local bad = { 'seat_unavailable' }
for i, seat in ipairs(seats) do
  if taken(got[6 + i], now) then bad[#bad + 1] = seat end
end
if #bad > 1 then return bad end
local backlog = redis.call('LLEN', Q)
if backlog >= tonumber(ARGV[7]) then return { 'backlog' } end
local t = next_tick(st)
if not t then return { 'ticks', st.epoch } end
t = int(t)
local csv = table.concat(seats, ',')
local cell = 'h' .. t .. ':' .. ARGV[2]
local args = { 'tick', t, 'o' .. owner, owner_list(list, t, ARGV[2]) }
for _, seat in ipairs(seats) do
  args[#args + 1] = seat
  args[#args + 1] = cell
end
redis.call('HSET', S, unpack(args))
save_hold({ t = t, state = 'l', placed = ARGV[1], expires = ARGV[2], max = ARGV[3], fence = t, locked = '',
            seats = csv, owner = owner }, ARGV[6])
redis.call('RPUSH', Q, 'P|' .. t .. '|' .. ARGV[1] .. '|' .. t .. '|' .. ARGV[2] .. '|' .. csv .. '|' .. owner)
return { 'ok', t, int(backlog + 1) }
