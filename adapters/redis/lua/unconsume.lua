-- Undoes `consume` when PostgreSQL refused the booking. ARGV: hold, now, key_grace_ms
local st = state()
if not st then return { 'not_ready' } end
local h = load_hold(st, ARGV[1])
if not h or h.state ~= 'booking' then return { 'ok' } end
rewrite_cells(h.seats, 'c' .. h.t .. ':', 'h' .. h.t .. ':' .. int(h.expires))
local hk = hold_key(h.t)
redis.call('HSET', hk, 'state', 'live')
redis.call('HDEL', hk, 'locked_at')
redis.call('PEXPIRE', hk, int(math.max(h.max - tonumber(ARGV[2]), 0) + tonumber(ARGV[3])))
return { 'ok' }
