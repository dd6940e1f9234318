-- Adds a block of ticks from PostgreSQL. ARGV: epoch, from, to
local st = state()
if not st then return { 'not_ready' } end
if st.epoch ~= ARGV[1] or tonumber(ARGV[3]) <= st.ceiling then return { 'ok' } end
if st.tick < tonumber(ARGV[2]) - 1 then redis.call('HSET', S, 'tick', tonumber(ARGV[2]) - 1) end
redis.call('HSET', S, 'ceiling', ARGV[3])
return { 'ok' }
