-- After PostgreSQL cancelled the show and all its bookings: every booked seat is free.
local st = state()
if not st then return { 'not_ready' } end
local all = redis.call('HGETALL', C)
for i = 1, #all, 2 do
  local k = string.sub(all[i + 1], 1, 1)
  if k == 'p' or k == 's' then redis.call('HDEL', C, all[i]) end
end
return { 'ok' }
