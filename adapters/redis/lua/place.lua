-- Places a hold: every seat or none.
-- ARGV: now, expires, max_expires, owner_max, owner, quote, outbox_max, taken_lo, taken_hi,
-- seat... With taken_lo and taken_hi ('' for none), the quote is right only while the seats
-- taken at `now` number taken_lo..=taken_hi (demand pricing): otherwise nothing is placed and
-- the reply is {'repriced', taken}, for the caller to price again.
-- The hottest script of a rush, so it works on ARGV and the HMGET reply in place, without the
-- tables of `state` and `save_hold` (a fifth of its instructions, counted with callgrind).
local n = #ARGV
local okey = 'o' .. ARGV[5]
-- got: epoch, status, tick, ceiling, seats, the owner's list, fixed, then a cell per seat of
-- ARGV[10..] (got[i] is the cell of ARGV[i + 2]).
local got = redis.call('HMGET', S, 'epoch', 'status', 'tick', 'ceiling', 'seats', okey, 'fixed',
  unpack(ARGV, 10, n))
if not got[1] then return { 'not_ready' } end
if got[2] ~= 'scheduled' then return { 'show_cancelled' } end
local count = tonumber(got[5])
for i = 10, n do
  local seat = tonumber(ARGV[i])
  if not seat or seat < 0 or seat >= count or seat % 1 ~= 0 then return { 'invalid_seat', ARGV[i] } end
end
local now = tonumber(ARGV[1])
local list = got[6]
if list == '' then list = false end
if (list and live_count(list, now) or 0) >= tonumber(ARGV[4]) then return { 'limit', ARGV[4] } end
local bad
for i = 8, #got do
  if taken(got[i], now) then
    bad = bad or { 'seat_unavailable' }
    bad[#bad + 1] = ARGV[i + 2]
  end
end
if bad then return bad end
if ARGV[8] ~= '' then
  local seats_taken = tonumber(got[7] or '0') + redis.call('ZCOUNT', E, '(' .. ARGV[1], '+inf')
  if seats_taken < tonumber(ARGV[8]) or seats_taken > tonumber(ARGV[9]) then
    return { 'repriced', int(seats_taken) }
  end
end
local backlog = redis.call('LLEN', Q)
if backlog >= tonumber(ARGV[7]) then return { 'backlog' } end
local tick = tonumber(got[3]) + 1
if tick >= tonumber(got[4]) then return { 'ticks', got[1] } end
local t = int(tick)
local expires = ARGV[2]
local csv = table.concat(ARGV, ',', 10, n)
local cell = 'h' .. t .. ':' .. expires
-- A new tick is in no owner's list, so the hold is appended (`owner_list` without the search).
local mine = t .. ':' .. expires
local args = { 'tick', t, okey, list and (list .. ',' .. mine) or mine }
for i = 10, n do
  args[#args + 1] = ARGV[i]
  args[#args + 1] = cell
end
local seats, cells = {}, {}
for i = 10, n do
  seats[#seats + 1] = ARGV[i]
  cells[#cells + 1] = got[i - 2]
end
retally(seats, cells, cell)
redis.call('HSET', S, unpack(args))
-- The record `hold_record` writes for a live hold: state, placed, expires, max, fence, locked_at,
-- seats, owner.
redis.call('HSET', H, t, 'l|' .. ARGV[1] .. '|' .. expires .. '|' .. ARGV[3] .. '|' .. t .. '||' .. csv .. '|' ..
  ARGV[5], 'q' .. t, ARGV[6])
redis.call('ZADD', X, expires, t)
redis.call('RPUSH', Q, 'P|' .. t .. '|' .. ARGV[1] .. '|' .. t .. '|' .. expires .. '|' .. csv .. '|' .. ARGV[5])
return { 'ok', t, int(backlog + 1) }
