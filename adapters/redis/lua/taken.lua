-- How many seats are taken at `now` (held, being booked, pending or sold): what demand pricing
-- reads on every hold, counted here rather than sent cell by cell. ARGV: now
local st = state()
if not st then return { 'not_ready' } end
local now = tonumber(ARGV[1])
local n = 0
local all = redis.call('HGETALL', S)
for i = 1, #all, 2 do
  -- Cells are the fields named by a seat's index; 'x' (blocked by the layout) is never taken.
  local first = string.byte(all[i], 1)
  if first >= 48 and first <= 57 and all[i + 1] ~= 'x' and taken(all[i + 1], now) then n = n + 1 end
end
return { 'ok', int(n) }
