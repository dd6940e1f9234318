-- After PostgreSQL cancelled the show and all its bookings: every booked seat is free, and the
-- owners' bookings lists go.
local st = state()
if not st then return { 'not_ready' } end
local all, args, cells = redis.call('HGETALL', S), {}, {}
for i = 1, #all, 2 do
  local k = string.sub(all[i + 1], 1, 1)
  if string.match(all[i], '^%d+$') and (k == 'p' or k == 's') then
    args[#args + 1] = all[i]
    cells[#cells + 1] = all[i + 1]
  end
end
retally(args, cells, nil)
delete_fields(args)
local lists = {}
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 1) == 'k' then lists[#lists + 1] = all[i] end
end
delete_fields(lists)
redis.call('DEL', M)
return { 'ok' }
