-- First step of a booking: locks a live hold for it (its seats stay taken, whatever its expiry,
-- until `settle` or `unconsume`), and returns it with the epoch and the queued events, which
-- PostgreSQL appends before the booking's own.
-- ARGV: hold, actor ('' for staff), now, fence ('' for none), the hold's id (for refusals)
local st = state()
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(ARGV[1], ARGV[5], ARGV[2], ARGV[3], ARGV[4], true)
if not h then return refusal end
write_state(cells_to({}, h.seats, nil, 'c' .. h.t .. ':', nil, 'h'))
h.state, h.locked = 'b', ARGV[3]
save_hold(h)
local reply = hold_reply(h)
reply[#reply + 1] = st.epoch
return with_outbox(reply)
