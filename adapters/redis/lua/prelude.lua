-- Shared by every script: the top of the function library, run once when it loads; each script
-- is a function of it (`src/scripts.rs`). KEYS[1] is the show's state hash
-- `<prefix>{<show>}:5:S`; every other key of the show is named from it and shares its hash tag,
-- so the scripts touch one slot and run unchanged on Redis Cluster. The crate README has the
-- layout. Every redis.call costs more than the work it does, so each script reads the show's
-- state, the cells and the owner's holds with one HMGET and writes them back with one HSET.
--
-- S holds the show's state (`epoch`, `status`, `tick`, `ceiling`, `seats`), a cell per taken
-- seat (field: the seat's index) and a list per owner (field `o<owner>`: the owner's holds not yet
-- ended, `t:expires,...`; the sweeper finds expired holds there). A cell is one of: absent
-- (free), 'x' (blocked), 'h<hold>:<until>' (held), 'c<hold>:' (held, being booked: taken until
-- PostgreSQL has answered), 'p<booking>:<until>' (pending booking) or 's<booking>:' (sold).
-- H holds each hold as two fields: `<t>` = `<state>|<placed>|<expires>|<max>|<fence>|<locked_at>|
-- <seats>|<owner>` (state `l` live, `b` being booked) and `q<t>` = its quote (JSON), which only
-- the scripts that answer with it read. Holds and
-- bookings are named by their number within the show; times are milliseconds of the engine's
-- clock, never Redis's own.
--
-- E tallies the taken cells that end by themselves (held `h`, pending `p`): a sorted set of
-- their seats scored by their end; S's field `fixed` counts those that do not (`c`, `s`). So the
-- seats taken at `now` are `fixed` plus E's members scored above `now`: two commands, where a
-- count of the cells was a scan of every one (a tenth of a second on a stadium's 100,000). Every
-- change of a cell goes through `retally`.
--
-- X scores every hold not yet ended by its expiry, so that the sweeper finds the expired ones
-- (and, through E, the cells of expired pending bookings) by their ends, without reading the
-- show: a pass costs what is due, not what the show holds. Both keep a placeholder `_` scored
-- `-inf`, which keeps the key and its TTL while nothing else is in it.
--
-- S also keeps a list per owner of its bookings that hold seats (field `k<owner>`:
-- `<booking>:<until>:<seats>,...`, `until` a pending booking's deadline, PAID once paid), for the
-- cap of tickets per owner (`tickets`), which counts them with the seats of the owner's live
-- holds. `settle` adds a booking, `confirmed` marks it paid, `free` drops it; the cap's check
-- drops the entries past their end.
--
-- M scores each booking whose seats `confirm` marked sold (`s<booking>:m`) by its deadline, until
-- PostgreSQL's answer settles the mark (`confirmed`, `unconfirm`, `free`): a payment whose answer
-- never came back is found by the sweeper past the deadline, which asks PostgreSQL.
--
-- Replies are arrays of strings, of three kinds (`src/reply.rs`): {'ok', ...}; a refusal,
-- {<code>, <details>}, a refusal code of core and its details as a JSON object, in core's words
-- (core/src/store_refusal.rs), which the store turns into the typed error with
-- `StoreError::from_refusal` and nothing else (`refuse` below; tests/refusals.rs makes every one
-- happen); or a signal the store acts on and calls again, never an answer to its caller:
-- {'not_ready'} (this Redis lacks the show: seed it), {'ticks', epoch} (the block of ticks is
-- used up), {'backlog'} (the outbox is full: flush it), {'seeded'} (another seeding won).
--
-- Rules of core applied here (holds live, seats taken, holds per owner, extension) are the
-- functions under "Rules" below, each named after its one definition in core;
-- tests/rules.rs feeds both the same cases, edges of i64 included, and fails on any difference.
-- Times, ids and other integers stay the decimal strings they came as: Lua's numbers are
-- doubles, exact only within 2^53.

-- The keys of the show a call is on, named from its KEYS[1] by `bind` as each function starts.
local base, S, H, Q, E, X, M, P

local function bind(keys)
  base = string.sub(keys[1], 1, -2)
  S, H, Q, E, X, M = keys[1], base .. 'H', base .. 'Q', base .. 'E', base .. 'X', base .. 'M'
  P = base .. 'P'
end

local function booking_key(b) return base .. 'B:' .. b end
local function int(x) return string.format('%d', x) end

local function split(csv)
  local out = {}
  for x in string.gmatch(csv, '[^,]+') do out[#out + 1] = x end
  return out
end

local function starts(s, prefix) return s ~= false and s ~= nil and string.sub(s, 1, #prefix) == prefix end

-- A refusal: a code of core and its details, a JSON object in core's words. The details are
-- written out, not encoded with cjson, which would write ids and times past 2^53 rounded; only
-- free text goes through cjson.
local function refuse(code, details) return { code, details } end

-- The outbox's entries, one encoder for each kind of event it carries: `<kind>|tick|at|hold|...`,
-- the owner last (it may hold a `|`). `src/outbox.rs` decodes them, and its tests hold the pair
-- to core's serde form of every kind; no script writes an entry by other means.
local function ev_hold_placed(tick, at, t, expires, seats, owner)
  return 'P|' .. tick .. '|' .. at .. '|' .. t .. '|' .. expires .. '|' .. seats .. '|' .. owner
end
local function ev_hold_extended(tick, at, t, expires)
  return 'X|' .. tick .. '|' .. at .. '|' .. t .. '|' .. expires
end
local function ev_hold_released(tick, at, t, seats) return 'R|' .. tick .. '|' .. at .. '|' .. t .. '|' .. seats end
local function ev_hold_expired(tick, at, t, seats) return 'E|' .. tick .. '|' .. at .. '|' .. t .. '|' .. seats end

-- The show's id, from its state key (for a refusal that names the show).
local function show_id() return string.match(S, '{(%d+)}:%d+:S$') end

-- Exact integers. `x` as two numbers of its sign, x = hi * 1e9 + lo, each exact as a double.
local function halves(x)
  local neg = string.byte(x, 1) == 45
  local digits = neg and string.sub(x, 2) or x
  local hi, lo = tonumber(string.sub(digits, 1, -10)) or 0, tonumber(string.sub(digits, -9))
  if neg then return -hi, -lo end
  return hi, lo
end

-- -1, 0 or 1 as the integer `a` is below, at or above `b` (decimal strings, any i64). Numbers of
-- up to 15 characters are exact as doubles: the common case compares them so.
local function cmp(a, b)
  local x, y
  if #a < 16 and #b < 16 then
    x, y = tonumber(a), tonumber(b)
  else
    local ah, al = halves(a)
    local bh, bl = halves(b)
    if ah ~= bh then x, y = ah, bh else x, y = al, bl end
  end
  if x < y then return -1 end
  if x > y then return 1 end
  return 0
end

local I64_MAX = '9223372036854775807'

-- max(a - b, 0) for the integers `a` and `b` (decimal strings), saturating at i64's end, as a
-- decimal string: Timestamp::millis_since(..).max(0).
local function since(a, b)
  if #a < 16 and #b < 16 then return int(math.max(tonumber(a) - tonumber(b), 0)) end
  local ah, al = halves(a)
  local bh, bl = halves(b)
  local hi, lo = ah - bh, al - bl
  local carry = math.floor(lo / 1e9)
  hi, lo = hi + carry, lo - carry * 1e9
  if hi < 0 or (hi == 0 and lo == 0) then return '0' end
  if hi == 0 then return int(lo) end
  local out = int(hi) .. string.format('%09d', lo)
  if cmp(out, I64_MAX) > 0 then return I64_MAX end
  return out
end

-- Rules. Each is a copy of one definition in core, named beside it; tests/rules.rs holds them
-- to it. Values core can compute before the call are passed in instead (an extension's
-- now + extend_by), and nothing here copies them.

-- Whether a lease (a hold, a pending booking's payment window) that lasts until `ends` is live
-- at `now`: Hold::is_live, now < ends.
local function live(ends, now)
  -- cmp's common case inline: this runs for every seat a hold asks for.
  if #ends < 16 and #now < 16 then return tonumber(now) < tonumber(ends) end
  return cmp(now, ends) < 0
end

-- Whether a cell keeps its seat from being held at `now`: SeatOccupant::is_taken ('h' a hold and
-- 'p' a pending booking until their end, 'c' a hold being booked and 's' sold always, 'x' a
-- blocked seat always; absent or empty, free).
local function taken(cell, now)
  if not cell or cell == '' then return false end
  local k = string.sub(cell, 1, 1)
  if k == 'h' or k == 'p' then return live(string.match(cell, ':(%-?%d+)$'), now) end
  return true
end

-- How a cell counts in the tally: 'e' it ends by itself (in E), 'f' it does not (in `fixed`),
-- nil it is not taken (absent, empty, blocked).
local function tally_kind(cell)
  if not cell then return nil end
  local k = string.sub(cell, 1, 1)
  if k == 'h' or k == 'p' then return 'e' end
  if k == 'c' or k == 's' then return 'f' end
  return nil
end

-- Runs `command` on `key` with the values of `list`, in slices within Lua's limit on unpacked
-- values.
local function in_slices(command, key, list)
  for i = 1, #list, 1000 do redis.call(command, key, unpack(list, i, math.min(i + 999, #list))) end
end

-- Keeps the tally when the cells of `seats` (a list) change from `old` (their values before:
-- a list in the order of `seats`, or one value for all) to `new` (one value for all; nil when
-- they are deleted).
local function retally(seats, old, new)
  local add, gone, fixed = {}, {}, 0
  local to = tally_kind(new)
  local score = to == 'e' and string.match(new, ':(%-?%d+)$')
  local each = type(old) == 'table'
  for i, seat in ipairs(seats) do
    local from
    if each then from = tally_kind(old[i]) else from = tally_kind(old) end
    if from == 'f' then fixed = fixed - 1 end
    if to == 'f' then fixed = fixed + 1 end
    if to == 'e' then
      add[#add + 1] = score
      add[#add + 1] = seat
    elseif from == 'e' then
      gone[#gone + 1] = seat
    end
  end
  in_slices('ZADD', E, add)
  in_slices('ZREM', E, gone)
  if fixed ~= 0 then redis.call('HINCRBY', S, 'fixed', fixed) end
  -- Places freed go to the pool `pick_places` takes from, once the show has picked places.
  if not to then
    local from = redis.call('HGET', S, 'pf')
    if from then
      local pool = {}
      for _, seat in ipairs(seats) do
        if tonumber(seat) >= tonumber(from) then
          pool[#pool + 1] = seat
          pool[#pool + 1] = seat
        end
      end
      in_slices('ZADD', P, pool)
    end
  end
end

-- General admission by quantity (core's `places`). Picks `qty` places free at `now` among `cap`
-- from `first`, not in `mine` (the hold's seats), appending them to `out` and their cells to
-- `cells`: first those given back (P, a sorted set of places scored by their index; each
-- candidate leaves it, a taken one comes back when freed), then those never given out (S's
-- field `z<first>`, the zone's cursor), then those whose lease ended by itself and was not swept
-- (E's members scored up to `now`): a pick reads what it takes and what has lapsed, never the
-- zone. Fewer: returns a reason; the caller gives every place picked back to P
-- (`give_back_places`), as a cursor that moved past them no longer covers them.
local function pick_places(first, cap, qty, now, mine, out, cells)
  local want = #out + qty
  local last = first + cap - 1
  local took = function(seat, cell)
    if taken(cell, now) or mine[seat] then return false end
    mine[seat] = true
    out[#out + 1] = seat
    cells[#cells + 1] = cell
    return true
  end
  while #out < want do
    local cand = redis.call('ZRANGEBYSCORE', P, first, last, 'LIMIT', 0, want - #out)
    if #cand == 0 then break end
    redis.call('ZREM', P, unpack(cand))
    local got = redis.call('HMGET', S, unpack(cand))
    for i, seat in ipairs(cand) do
      if #out < want then took(seat, got[i]) end
    end
  end
  if #out < want then
    local key = 'z' .. int(first)
    local next = tonumber(redis.call('HGET', S, key) or '0')
    while #out < want and next < cap do
      local batch = {}
      for i = next, math.min(cap, next + want - #out) - 1 do batch[#batch + 1] = int(first + i) end
      next = next + #batch
      local got = redis.call('HMGET', S, unpack(batch))
      for i, seat in ipairs(batch) do
        if #out < want then took(seat, got[i]) end
      end
    end
    local from = redis.call('HGET', S, 'pf')
    if not from or tonumber(from) > first then
      redis.call('HSET', S, key, next, 'pf', int(first))
    else
      redis.call('HSET', S, key, next)
    end
  end
  if #out < want then
    for _, seat in ipairs(redis.call('ZRANGEBYSCORE', E, '-inf', now)) do
      if #out >= want then break end
      local i = tonumber(seat)
      if i and i >= first and i <= last and not mine[seat] then took(seat, redis.call('HGET', S, seat)) end
    end
  end
  if #out < want then return 'short' end
  return nil
end

-- Gives places picked for a hold that is not placed back to the pool.
local function give_back_places(picked)
  local back = {}
  for _, seat in ipairs(picked) do
    back[#back + 1] = seat
    back[#back + 1] = seat
  end
  in_slices('ZADD', P, back)
end

-- The quote's JSON text with its place placeholders named after the places picked (core's
-- `placeholder_json` and `place_json`; the conformance checks hold the labels to core's).
local function label_places(quote, zones, picked)
  for k, seat in ipairs(picked) do
    local i = tonumber(seat)
    for _, z in ipairs(zones) do
      if i >= z[2] and i < z[2] + z[3] then
        local from = '-\\u0001' .. k .. '"'
        local at = string.find(quote, from, 1, true)
        if at then quote = string.sub(quote, 1, at - 1) .. '-' .. int(i - z[2] + 1) .. '"' .. string.sub(quote, at + #from) end
      end
    end
  end
  return quote
end

-- How many seats are taken at `now`: the cells that do not end by themselves (`fixed`, S's
-- field, given) and the tally's members scored after `now`. Scores are doubles: past 2^53 an end
-- just after `now` rounds to it, so those scored at `now` are checked one by one, exactly.
local function seats_taken(fixed, now)
  local n = tonumber(fixed or '0') + redis.call('ZCOUNT', E, '(' .. now, '+inf')
  if #now > 15 then
    for _, seat in ipairs(redis.call('ZRANGEBYSCORE', E, now, now)) do
      local cell = seat ~= '_' and redis.call('HGET', S, seat)
      if tally_kind(cell) == 'e' and taken(cell, now) then n = n + 1 end
    end
  end
  return n
end

-- The show's state, or nil when this Redis does not have it (never seeded, flushed, restarted),
-- read with the fields `...` of S, whose values follow at index 6 of the second result.
local function state(...)
  local st = redis.call('HMGET', S, 'epoch', 'status', 'tick', 'ceiling', 'seats', ...)
  if not st[1] then return nil end
  return { epoch = st[1], status = st[2], tick = tonumber(st[3]), ceiling = tonumber(st[4]),
           seats = tonumber(st[5]) }, st
end

-- The next tick of the show, or nil when its block is used up. The caller writes `st.tick` to S
-- with the rest of its changes.
local function next_tick(st)
  local t = st.tick + 1
  if t >= st.ceiling then return nil end
  st.tick = t
  return t
end

-- An owner's list of holds with hold `t` removed, and with it set to expire at `expires` when
-- `expires` is given.
local function owner_list(list, t, expires)
  local out = {}
  for e in string.gmatch(list or '', '[^,]+') do
    if string.match(e, '^(%d+):') ~= t then out[#out + 1] = e end
  end
  if expires then out[#out + 1] = t .. ':' .. expires end
  return table.concat(out, ',')
end

-- `until` of a paid booking in an owner's bookings list: i64::MAX, never reached.
local PAID = '9223372036854775807'

-- An owner's bookings list without booking `b` and, when `now` is given, without the entries
-- ended at `now`; with `b` ending at `ends` with `n` seats when `ends` is given.
local function bookings_list(list, b, now, ends, n)
  local out = {}
  for e in string.gmatch(list or '', '[^,]+') do
    local id, u = string.match(e, '^(%d+):(%-?%d+):')
    if id ~= b and (not now or live(u, now)) then out[#out + 1] = e end
  end
  if ends then out[#out + 1] = b .. ':' .. ends .. ':' .. n end
  return table.concat(out, ',')
end

-- How many seats are named in a seat list (csv).
local function seat_count(csv)
  if csv == '' then return 0 end
  local _, commas = string.gsub(csv, ',', '')
  return commas + 1
end

-- How many holds of an owner's list are live at `now` (Hold::is_live of each), which the
-- holds-per-owner limit counts.
local function live_count(list, now)
  local n = 0
  for e in string.gmatch(list or '', ':(%-?%d+)') do
    if live(e, now) then n = n + 1 end
  end
  return n
end

-- What extending a hold (placed, expires, max: its record's) does, given `wanted`, the
-- now + extend_by core computed (Timestamp::plus_millis): Hold::extension_of. The new expiry,
-- min(wanted, max), when it is later; nil when it is not; false and the hold's lifetime when it is
-- at its maximum already.
local function extension(placed, expires, max, wanted)
  if cmp(wanted, max) > 0 then wanted = max end
  if cmp(wanted, expires) > 0 then return wanted end
  if cmp(expires, max) >= 0 then return false, since(max, placed) end
  return nil
end

local function parse_hold(t, rec, quote)
  local state, placed, expires, max, fence, locked, seats, owner = string.match(rec,
    '^(%a)|(%-?%d+)|(%-?%d+)|(%-?%d+)|(%d+)|(%-?%d*)|([^|]*)|(.*)$')
  if not state then return nil end
  return { t = t, state = state, placed = placed, expires = expires, max = max, fence = fence,
           locked = locked, seats = seats, owner = owner, quote = quote or '' }
end

-- A hold of this seeding (live or expired, not yet swept), or nil; with its quote when `quoted`.
local function load_hold(t, quoted)
  if quoted then
    local r = redis.call('HMGET', H, t, 'q' .. t)
    if not r[1] then return nil end
    return parse_hold(t, r[1], r[2])
  end
  local rec = redis.call('HGET', H, t)
  if not rec then return nil end
  return parse_hold(t, rec)
end

-- The tickets an owner has at `now` (the cap of tickets per owner counts them): the seats of its
-- live holds (`holds`: its list of holds, whose records H keeps) and of its bookings live at `now`
-- (`bookings`: its list of bookings).
local function tickets(holds, bookings, now)
  local n, ts = 0, {}
  for t, ends in string.gmatch(holds or '', '(%d+):(%-?%d+)') do
    if live(ends, now) then ts[#ts + 1] = t end
  end
  if #ts > 0 then
    for i, rec in ipairs(redis.call('HMGET', H, unpack(ts))) do
      local h = rec and parse_hold(ts[i], rec)
      if h then n = n + seat_count(h.seats) end
    end
  end
  for ends, k in string.gmatch(bookings or '', ':(%-?%d+):(%d+)') do
    if live(ends, now) then n = n + tonumber(k) end
  end
  return n
end

local function hold_record(h)
  return h.state .. '|' .. h.placed .. '|' .. h.expires .. '|' .. h.max .. '|' .. h.fence .. '|' ..
    h.locked .. '|' .. h.seats .. '|' .. h.owner
end

-- Writes a hold (its quote too when `quote` is given: it never changes).
local function save_hold(h, quote)
  if quote then redis.call('HSET', H, h.t, hold_record(h), 'q' .. h.t, quote)
  else redis.call('HSET', H, h.t, hold_record(h)) end
end

-- The checks every use of a hold makes: it exists, the actor may act on it, nobody is booking it,
-- it is live at `now`, and the fence presented (if any) is current. `id` is the hold's id as the
-- store names it, for the refusals (ids carry their show, and do not fit a double).
local function checked_hold(t, id, actor, now, fence, quoted)
  local h = load_hold(t, quoted)
  if not h then return nil, refuse('not_found', '{"entity":"hold","id":' .. id .. '}') end
  if actor ~= '' and actor ~= h.owner then return nil, refuse('not_owner', '{"hold":' .. id .. '}') end
  if h.state ~= 'l' then
    return nil, refuse('unavailable', '{"message":"hold-' .. id .. ' is being booked; retry"}')
  end
  if not live(h.expires, now) then return nil, refuse('hold_expired', '{"hold":' .. id .. '}') end
  if fence ~= '' and fence ~= h.fence then
    return nil, refuse('stale_fence', '{"presented":' .. fence .. ',"current":' .. h.fence .. '}')
  end
  return h
end

local function hold_reply(h)
  return { 'ok', h.t, h.owner, h.seats, h.placed, h.expires, h.max, h.fence, h.quote }
end

-- The seats of `seats` (a list) whose cell starts with `from` or `also`, and those cells (nil:
-- every seat, as a live hold's cells are its own, and no cells). The cells are read from S, or
-- taken from `got` from index `at` on, in the order of `list`, when the caller read them already.
local function cells_of(list, from, also, got, at)
  if not from then return list end
  if not got then got, at = redis.call('HMGET', S, unpack(list)), 1 end
  local out, cells = {}, {}
  for i = 1, #list do
    local cell = got[at + i - 1]
    if starts(cell, from) or (also and starts(cell, also)) then
      out[#out + 1] = list[i]
      cells[#cells + 1] = cell
    end
  end
  return out, cells
end

-- Appends to `args` (field, value pairs for S) the cells of `seats` (csv or list) that
-- `cells_of` picks, set to `to`, and keeps the tally; `own` is the cell of every seat when
-- `from` is nil; `got` and `at` are for `cells_of`.
local function cells_to(args, seats, from, to, also, own, got, at)
  local list = type(seats) == 'table' and seats or split(seats)
  local picked, cells = cells_of(list, from, also, got, at)
  retally(picked, cells or own, to)
  for _, seat in ipairs(picked) do
    args[#args + 1] = seat
    args[#args + 1] = to
  end
  return args
end

-- Deletes fields of S, in slices that stay within Lua's limit on unpacked values.
local function delete_fields(list) in_slices('HDEL', S, list) end

-- Writes field, value pairs to S, in slices that stay within Lua's limit on unpacked values.
local function write_state(args)
  for i = 1, #args, 2000 do redis.call('HSET', S, unpack(args, i, math.min(i + 1999, #args))) end
end

-- Drops the queued events whose tick is at or below `flushed` (they are in the log). The outbox
-- is in tick order, so the first entry to keep is found by halving: a few commands for a flush of
-- hundreds of events, instead of two per event.
local function trim_outbox(flushed)
  local lo, hi = 0, redis.call('LLEN', Q)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local tick = tonumber(string.match(redis.call('LINDEX', Q, mid), '^%a|(%d+)|'))
    if tick > flushed then hi = mid else lo = mid + 1 end
  end
  if lo > 0 then redis.call('LTRIM', Q, lo, -1) end
end

-- The queued events appended to a reply.
local function with_outbox(reply)
  for _, e in ipairs(redis.call('LRANGE', Q, 0, -1)) do reply[#reply + 1] = e end
  return reply
end

-- Ends a hold at `at` with a queued event from `event` (`ev_hold_released` or `ev_hold_expired`),
-- given its owner's list; a live hold's cells are its own (`own`), an expired one's may have been
-- taken since. False when the show's ticks are used up.
local function end_hold(st, h, event, at, list, own)
  local tick = next_tick(st)
  if not tick then return false end
  local rest = owner_list(list, h.t)
  local gone = cells_of(split(h.seats), not own and ('h' .. h.t .. ':') or nil)
  retally(gone, 'h', nil)
  if rest == '' then
    gone[#gone + 1] = 'o' .. h.owner
    redis.call('HSET', S, 'tick', tick)
  else
    redis.call('HSET', S, 'tick', tick, 'o' .. h.owner, rest)
  end
  delete_fields(gone)
  redis.call('HDEL', H, h.t, 'q' .. h.t)
  redis.call('ZREM', X, h.t)
  redis.call('RPUSH', Q, event(tick, at, h.t, h.seats))
  return tick
end

-- Forgets a hold that became a booking (its cells are the booking's now), given its owner's
-- list: the list without it goes into `args` (field, value pairs for S, written by the caller),
-- or the field goes when nothing is left.
local function drop_hold(h, list, args)
  redis.call('HDEL', H, h.t, 'q' .. h.t)
  redis.call('ZREM', X, h.t)
  local rest = owner_list(list, h.t)
  if rest == '' then
    redis.call('HDEL', S, 'o' .. h.owner)
  else
    args[#args + 1] = 'o' .. h.owner
    args[#args + 1] = rest
  end
end
