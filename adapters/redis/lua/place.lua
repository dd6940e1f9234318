-- Places a hold: every seat or none.
-- ARGV: now, expires, max_expires, owner_max, owner, quote, outbox_max, taken_lo, taken_hi,
-- witness, tickets_max, places, seat... The seats must be distinct and inside the layout (the store contract; the engine has
-- checked them, and this keeps any caller to it, with the memory and PostgreSQL stores' answer).
-- With taken_lo and taken_hi ('' for none), the quote is right only while the seats taken at
-- `now` number taken_lo..=taken_hi (demand pricing): otherwise nothing is placed and the refusal
-- is `repriced` with the count, for the caller to price again. The witness ('' for none) is the
-- engine's no-orphan check as it saw the seats around the selection, `free,...;taken,...`: if one
-- of them is no longer so at `now`, nothing is placed and the refusal is `seats_changed`. With
-- tickets_max ('' for none), the owner's tickets (`tickets`) and these seats may number at most
-- that: otherwise the refusal is `limit_exceeded` (`tickets_per_owner`). Places ('' for none,
-- else `zone:first:capacity:quantity,...`) asks for places of zones by quantity: `pick_places`
-- picks them after every check, they join the seats, the quote names them, and the reply
-- lists them after the backlog.
-- The hottest script of a rush, so it works on ARGV and the HMGET reply in place, without the
-- tables of `state` and `save_hold` (a fifth of its instructions, counted with callgrind).
local n = #ARGV
local okey, kkey = 'o' .. ARGV[5], 'k' .. ARGV[5]
-- got: epoch, status, tick, ceiling, seats, the owner's list, fixed, the owner's bookings list,
-- then a cell per seat of ARGV[13..] (got[i] is the cell of ARGV[i + 4]).
local got = redis.call('HMGET', S, 'epoch', 'status', 'tick', 'ceiling', 'seats', okey, 'fixed', kkey,
  unpack(ARGV, 13, n))
if not got[1] then return { 'not_ready' } end
if got[2] ~= 'scheduled' then return refuse('show_cancelled', '{"show":' .. show_id() .. '}') end
-- Each seat in turn is inside the layout and not named before, so the first bad one is named,
-- as the other stores name it. The few seats of a hold are compared with those before them;
-- past 16 seats, a table of those seen costs less.
local count = tonumber(got[5])
local seen = n > 28 and {}
for i = 13, n do
  local a = ARGV[i]
  local seat = tonumber(a)
  local why
  if not seat or seat < 0 or seat >= count or seat % 1 ~= 0 then
    why = ' is outside the layout'
  elseif seen then
    if seen[a] then why = ' is named twice' end
    seen[a] = true
  else
    for j = 13, i - 1 do
      if ARGV[j] == a then why = ' is named twice' end
    end
  end
  if why then
    return refuse('invalid_request', cjson.encode({ field = 'seats', reason = 'seat index ' .. a .. why }))
  end
end
local now = ARGV[1]
local zones, wanted = {}, 0
for spec in string.gmatch(ARGV[12], '[^,]+') do
  local z, first, cap, qty = string.match(spec, '^(%d+):(%d+):(%d+):(%d+)$')
  if not z or tonumber(qty) < 1 or tonumber(first) + tonumber(cap) > count then
    return refuse('invalid_request', cjson.encode({ field = 'places', reason = 'zone ' .. spec .. ' is not a range of the layout' }))
  end
  zones[#zones + 1] = { z, tonumber(first), tonumber(cap), tonumber(qty) }
  wanted = wanted + tonumber(qty)
end
local list = got[6]
if list == '' then list = false end
if (list and live_count(list, now) or 0) >= tonumber(ARGV[4]) then
  return refuse('limit_exceeded', '{"limit":"holds_per_owner","max":' .. ARGV[4] .. '}')
end
-- The owner's bookings list without those past their end, written with the hold below.
local kept
if ARGV[11] ~= '' then
  if tickets(list, got[8], now) + n - 12 + wanted > tonumber(ARGV[11]) then
    return refuse('limit_exceeded', '{"limit":"tickets_per_owner","max":' .. ARGV[11] .. '}')
  end
  kept = got[8] and bookings_list(got[8], nil, now)
  if kept == got[8] then kept = nil end
end
local bad
for i = 9, #got do
  if taken(got[i], now) then
    bad = bad or {}
    bad[#bad + 1] = ARGV[i + 4]
  end
end
if bad then return refuse('seat_unavailable', '{"seats":[' .. table.concat(bad, ',') .. ']}') end
if ARGV[10] ~= '' then
  local sep = string.find(ARGV[10], ';', 1, true) or (#ARGV[10] + 1)
  local seats, want = {}, {}
  for seat in string.gmatch(string.sub(ARGV[10], 1, sep - 1), '%d+') do
    seats[#seats + 1] = seat
    want[#want + 1] = false
  end
  for seat in string.gmatch(string.sub(ARGV[10], sep + 1), '%d+') do
    seats[#seats + 1] = seat
    want[#want + 1] = true
  end
  if #seats > 0 then
    local cells = redis.call('HMGET', S, unpack(seats))
    local changed = {}
    for i = 1, #seats do
      if taken(cells[i], now) ~= want[i] then changed[#changed + 1] = tonumber(seats[i]) end
    end
    if #changed > 0 then
      table.sort(changed)
      return refuse('seats_changed', '{"seats":[' .. table.concat(changed, ',') .. ']}')
    end
  end
end
if ARGV[8] ~= '' then
  local count_now = seats_taken(got[7], now)
  if count_now < tonumber(ARGV[8]) or count_now > tonumber(ARGV[9]) then
    return refuse('repriced', '{"taken":' .. int(count_now) .. '}')
  end
end
local backlog = redis.call('LLEN', Q)
if backlog >= tonumber(ARGV[7]) then return { 'backlog' } end
local tick = tonumber(got[3]) + 1
if tick >= tonumber(got[4]) then return { 'ticks', got[1] } end
local t = int(tick)
local expires = ARGV[2]
local picked, picked_cells, quote = {}, {}, ARGV[6]
if wanted > 0 then
  local mine = {}
  for i = 13, n do mine[ARGV[i]] = true end
  for _, z in ipairs(zones) do
    local why = pick_places(z[2], z[3], z[4], now, mine, picked, picked_cells)
    if why then
      give_back_places(picked)
      return refuse('places_unavailable', '{"zone":' .. z[1] .. ',"wanted":' .. z[4] .. '}')
    end
  end
  quote = label_places(quote, zones, picked)
end
local csv = table.concat(ARGV, ',', 13, n)
if #picked > 0 then csv = (csv == '' and '' or csv .. ',') .. table.concat(picked, ',') end
local cell = 'h' .. t .. ':' .. expires
-- A new tick is in no owner's list, so the hold is appended (`owner_list` without the search).
local mine = t .. ':' .. expires
local args = { 'tick', t, okey, list and (list .. ',' .. mine) or mine }
if kept == '' then
  redis.call('HDEL', S, kkey)
elseif kept then
  args[#args + 1] = kkey
  args[#args + 1] = kept
end
for i = 13, n do
  args[#args + 1] = ARGV[i]
  args[#args + 1] = cell
end
local seats, cells = {}, {}
for i = 13, n do
  seats[#seats + 1] = ARGV[i]
  cells[#cells + 1] = got[i - 4]
end
for i, seat in ipairs(picked) do
  args[#args + 1] = seat
  args[#args + 1] = cell
  seats[#seats + 1] = seat
  cells[#cells + 1] = picked_cells[i]
end
retally(seats, cells, cell)
redis.call('HSET', S, unpack(args))
-- The record `hold_record` writes for a live hold: state, placed, expires, max, fence, locked_at,
-- seats, owner.
redis.call('HSET', H, t, 'l|' .. ARGV[1] .. '|' .. expires .. '|' .. ARGV[3] .. '|' .. t .. '||' .. csv .. '|' ..
  ARGV[5], 'q' .. t, quote)
redis.call('ZADD', X, expires, t)
redis.call('RPUSH', Q, ev_hold_placed(t, ARGV[1], t, expires, csv, ARGV[5]))
local reply = { 'ok', t, int(backlog + 1) }
for _, seat in ipairs(picked) do reply[#reply + 1] = seat end
return reply
