-- First step of a booking: locks a live hold for it (its seats stay taken, whatever its expiry,
-- until `settle` or `unconsume`), and returns it with the epoch and the queued events, which
-- PostgreSQL appends before the booking's own.
-- ARGV: hold, actor ('' for staff), now, fence ('' for none), locked_ttl_ms
local st = state()
if not st then return { 'not_ready' } end
local h, refusal = checked_hold(st, ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4])
if not h then return refusal end
rewrite_cells(h.seats, 'h' .. h.t .. ':', 'c' .. h.t .. ':')
local hk = hold_key(h.t)
redis.call('HSET', hk, 'state', 'booking', 'locked_at', ARGV[3])
redis.call('PEXPIRE', hk, ARGV[5])
local reply = hold_reply(h)
reply[#reply + 1] = st.epoch
return with_outbox(reply)
