-- The id layout. Hold and booking ids carry their show: id = show * 2^24 + n, with n from 1 to
-- 2^24 - 1, so a call that names only a hold or a booking finds its show without a lookup, and
-- each operation touches rows of one show only. The same numbers count the ticks a hybrid store
-- hands out per show. The Rust side's twin is `ids::LEASE_BITS`; tests/rules.rs holds them equal.
--
-- SQL functions that the planner inlines: a call costs what the expression in it costs.

CREATE OR REPLACE FUNCTION bc_lease_bits() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 24
$$;

-- The most holds and bookings a show has over its life (and the most ticks of its holds).
CREATE OR REPLACE FUNCTION bc_leases_max() RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (1::bigint << bc_lease_bits()) - 1
$$;

-- The show of a hold or booking id.
CREATE OR REPLACE FUNCTION bc_show_of(p_id bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_id >> bc_lease_bits()
$$;

-- The id of lease number p_n of show p_show.
CREATE OR REPLACE FUNCTION bc_lease_id(p_show bigint, p_n bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (p_show << bc_lease_bits()) + p_n
$$;
