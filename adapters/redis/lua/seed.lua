-- Seeds the show from PostgreSQL (which holds the show locked meanwhile). Refuses when the show
-- is here already: a seeding from another process won, and this one's must be rolled back.
-- ARGV: epoch, status, seats, tick_from, tick_to, ttl_ms, blocked (csv), then seat, cell pairs
if redis.call('EXISTS', S) == 1 then return { 'seeded' } end
redis.call('DEL', C, E, Q)
redis.call('HSET', S, 'epoch', ARGV[1], 'status', ARGV[2], 'seats', ARGV[3], 'tick', tonumber(ARGV[4]) - 1,
  'ceiling', ARGV[5])
for _, seat in ipairs(split(ARGV[7])) do redis.call('HSET', C, seat, 'x') end
for i = 8, #ARGV, 2 do redis.call('HSET', C, ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', S, ARGV[6])
if redis.call('EXISTS', C) == 1 then redis.call('PEXPIRE', C, ARGV[6]) end
return { 'ok' }
