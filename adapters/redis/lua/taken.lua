-- How many seats are taken at `now` (held, being booked, pending or sold): what demand pricing
-- reads on every hold, from the tally the scripts keep (see the prelude), not from the cells.
-- ARGV: now
local st, got = state('fixed')
if not st then return { 'not_ready' } end
return { 'ok', int(seats_taken(got[6], ARGV[1])) }
