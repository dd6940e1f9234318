-- Seeds the show from PostgreSQL (which holds the show locked meanwhile). Refuses when the show
-- is here already: a seeding from another process won, and this one's must be rolled back.
-- ARGV: epoch, status, seats, tick_from, tick_to, ttl_ms, blocked (csv), m, then m field, value
-- pairs of the owners' bookings lists, then seat, cell pairs
if redis.call('EXISTS', S) == 1 then return { 'seeded' } end
redis.call('DEL', H, Q, E, X, M, P)
-- `_` is longer than Redis's hash-max-listpack-value (64 bytes by default), so S is a hash table
-- from the start: a small hash is a listpack, searched field by field, and every hold looks up
-- fields S lacks (its seats' cells, its owner's list). Measured with callgrind on shows of 2,000
-- seats: a place took 160,000 instructions with S a listpack, 120,000 with S a hash table.
local args = { 'epoch', ARGV[1], 'status', ARGV[2], 'seats', ARGV[3], 'tick', tonumber(ARGV[4]) - 1,
               'ceiling', ARGV[5], '_', string.rep('-', 80) }
for _, seat in ipairs(split(ARGV[7])) do
  args[#args + 1] = seat
  args[#args + 1] = 'x'
end
-- The tally of the claims' cells (see the prelude); E's placeholder, scored below every time,
-- keeps the key, and so its TTL, while no cell is in it.
local ending, fixed = { '-inf', '_' }, 0
local from = 9 + 2 * tonumber(ARGV[8])
for i = 9, from - 1 do args[#args + 1] = ARGV[i] end
for i = from, #ARGV, 2 do
  args[#args + 1] = ARGV[i]
  args[#args + 1] = ARGV[i + 1]
  local kind = tally_kind(ARGV[i + 1])
  if kind == 'e' then
    ending[#ending + 1] = string.match(ARGV[i + 1], ':(%-?%d+)$')
    ending[#ending + 1] = ARGV[i]
  elseif kind == 'f' then
    fixed = fixed + 1
  end
end
args[#args + 1] = 'fixed'
args[#args + 1] = fixed
write_state(args)
in_slices('ZADD', E, ending)
redis.call('PEXPIRE', S, ARGV[6])
redis.call('PEXPIRE', E, ARGV[6])
redis.call('ZADD', X, '-inf', '_')
redis.call('PEXPIRE', X, ARGV[6])
-- H exists from the start with the show's TTL (a placeholder field keeps it, and so its TTL,
-- while no hold is in it), so that holds no sweeper ever ended still go with the show.
redis.call('HSET', H, '_', '')
redis.call('PEXPIRE', H, ARGV[6])
return { 'ok' }
