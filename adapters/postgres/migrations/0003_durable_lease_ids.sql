-- Ids a crash can never hand out twice (functions/04_shows.sql, bc_lease_floor): every id handed
-- out is below `lease_reserved`, raised only by transactions that wait for the WAL flush, and the
-- first operation of a show after the server started (`lease_server`, the postmaster's start
-- time it last ran under) goes on from it.
ALTER TABLE bc_show_state
    ADD COLUMN lease_reserved bigint NOT NULL DEFAULT 1,
    ADD COLUMN lease_server timestamptz;
