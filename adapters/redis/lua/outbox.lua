-- The queued events of the show's holds, oldest first; with a flushed tick, drops those first.
-- ARGV: flushed_tick ('' to keep all)
local st = state()
if not st then return { 'not_ready' } end
if ARGV[1] ~= '' then trim_outbox(tonumber(ARGV[1])) end
local reply = { 'ok' }
return with_outbox(reply)
