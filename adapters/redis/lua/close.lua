-- Cancelling the show: refuses holds from now on and releases every hold (one queued event
-- each), except those being booked (PostgreSQL decides those). Runs again harmlessly.
-- ARGV: now
local st = state()
if not st then return { 'not_ready' } end
redis.call('HSET', S, 'status', 'cancelled')
local released = {}
local all = redis.call('HGETALL', S)
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 1) == 'o' then
    for t in string.gmatch(all[i + 1], '(%d+):') do
      local h = load_hold(t)
      if h and h.state == 'l' then
        if not end_hold(st, h, ev_hold_released, ARGV[1], redis.call('HGET', S, all[i]), false) then
          return { 'ticks', st.epoch }
        end
        released[#released + 1] = h.t
      end
    end
  end
end
local reply = { 'ok', int(#released) }
for _, t in ipairs(released) do reply[#reply + 1] = t end
return with_outbox(reply)
