-- Undoes `consume` when PostgreSQL refused the booking. ARGV: hold
local st = state()
if not st then return { 'not_ready' } end
local h = load_hold(ARGV[1])
if not h or h.state ~= 'b' then return { 'ok' } end
write_state(cells_to({}, h.seats, 'c' .. h.t .. ':', 'h' .. h.t .. ':' .. h.expires))
h.state, h.locked = 'l', ''
save_hold(h)
return { 'ok' }
