-- Shared by every script (prepended to each). KEYS[1] is the show's state hash
-- `<prefix>{<show>}:S`; every other key of the show is named from it and shares its hash tag, so
-- the scripts touch one slot and run unchanged on Redis Cluster. The crate README has the layout.
--
-- A seat's cell in C is one of: absent (free), 'x' (blocked), 'h<hold>:<until>' (held),
-- 'c<hold>' (held, being booked: taken until PostgreSQL has answered), 'p<booking>:<until>'
-- (pending booking) or 's<booking>' (sold). Holds and bookings are named by their number within
-- the show; times are milliseconds of the engine's clock, never Redis's own.
--
-- Replies are arrays of strings: {'ok', ...} or {<refusal code>, details...}.

local base = string.sub(KEYS[1], 1, -2)
local S, C, E, Q = KEYS[1], base .. 'C', base .. 'E', base .. 'Q'

local function hold_key(t) return base .. 'H:' .. t end
local function owner_key(o) return base .. 'O:' .. o end
local function booking_key(b) return base .. 'B:' .. b end
local function int(x) return string.format('%d', x) end

local function split(csv)
  local out = {}
  for x in string.gmatch(csv, '[^,]+') do out[#out + 1] = x end
  return out
end

local function starts(s, prefix) return s ~= false and s ~= nil and string.sub(s, 1, #prefix) == prefix end

-- Whether a cell keeps its seat from being held at `now`.
local function taken(cell, now)
  if not cell then return false end
  local k = string.sub(cell, 1, 1)
  if k == 'h' or k == 'p' then return tonumber(string.match(cell, ':(%d+)$')) > now end
  return true
end

-- The show's state, or nil when this Redis does not have it (never seeded, flushed, restarted).
local function state()
  local st = redis.call('HMGET', S, 'epoch', 'status', 'tick', 'ceiling', 'seats')
  if not st[1] then return nil end
  return { epoch = st[1], status = st[2], tick = tonumber(st[3]), ceiling = tonumber(st[4]),
           seats = tonumber(st[5]) }
end

-- The next tick of the show, or nil when its block is used up.
local function next_tick(st)
  local t = st.tick + 1
  if t >= st.ceiling then return nil end
  st.tick = t
  redis.call('HSET', S, 'tick', t)
  return t
end

local HOLD_FIELDS = { 'owner', 'seats', 'placed', 'expires', 'max', 'fence', 'quote', 'state', 'epoch' }

-- A hold of this seeding (live or expired, not yet swept), or nil.
local function load_hold(st, t)
  local h = redis.call('HMGET', hold_key(t), unpack(HOLD_FIELDS))
  if not h[1] or h[9] ~= st.epoch then return nil end
  return { t = t, owner = h[1], seats = h[2], placed = tonumber(h[3]), expires = tonumber(h[4]),
           max = tonumber(h[5]), fence = h[6], quote = h[7], state = h[8] }
end

-- The checks every use of a hold makes: it exists, the actor may act on it, nobody is booking it,
-- it is live at `now`, and the fence presented (if any) is current.
local function checked_hold(st, t, actor, now, fence)
  local h = load_hold(st, t)
  if not h then return nil, { 'not_found' } end
  if actor ~= '' and actor ~= h.owner then return nil, { 'not_owner' } end
  if h.state ~= 'live' then return nil, { 'busy' } end
  if h.expires <= now then return nil, { 'expired' } end
  if fence ~= '' and fence ~= h.fence then return nil, { 'stale_fence', fence, h.fence } end
  return h
end

local function hold_reply(h)
  return { 'ok', h.t, h.owner, h.seats, int(h.placed), int(h.expires), int(h.max), h.fence, h.quote }
end

-- Sets every cell of `seats` whose value starts with `from` to `to` (nil: frees it).
local function rewrite_cells(seats, from, to)
  local list = split(seats)
  local cells = redis.call('HMGET', C, unpack(list))
  local args = {}
  for i, cell in ipairs(cells) do
    if starts(cell, from) then
      args[#args + 1] = list[i]
      if to then args[#args + 1] = to end
    end
  end
  if #args == 0 then return end
  if to then redis.call('HSET', C, unpack(args)) else redis.call('HDEL', C, unpack(args)) end
end

-- Forgets a hold that has ended (released, expired, booked).
local function drop_hold(h)
  redis.call('DEL', hold_key(h.t))
  redis.call('ZREM', owner_key(h.owner), h.t)
  redis.call('ZREM', E, h.t)
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

-- Ends a live hold at `now` with a queued event of `kind` ('R' released, 'E' expired); false when
-- the show's ticks are used up.
local function end_hold(st, h, kind, now)
  local tick = next_tick(st)
  if not tick then return false end
  rewrite_cells(h.seats, 'h' .. h.t .. ':', nil)
  drop_hold(h)
  redis.call('RPUSH', Q, kind .. '|' .. tick .. '|' .. now .. '|' .. h.t .. '|' .. h.seats)
  return tick
end
