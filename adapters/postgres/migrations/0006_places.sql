-- General admission by quantity: bc_place_hold picks places of a zone itself (bc_pick_places),
-- from the places given back (bc_place_pool), the places never given out (bc_zone_cursor) and
-- the places of leases that ended by themselves (through the holds' and bookings' expiry
-- indexes), so a hold never reads the zone. bc_show_state.places_from is the first place of the
-- show's zones once a hold picked one (NULL before: nothing is pooled, and the cursors, which
-- start at a zone's first place, cover every place freed until then).
CREATE TABLE bc_place_pool (
    show_id bigint NOT NULL REFERENCES bc_shows (id),
    seat    integer NOT NULL,
    PRIMARY KEY (show_id, seat)
);

CREATE TABLE bc_zone_cursor (
    show_id bigint NOT NULL REFERENCES bc_shows (id),
    first   integer NOT NULL,
    -- Places first .. first + next - 1 were given out at least once.
    next    integer NOT NULL CHECK (next >= 0),
    PRIMARY KEY (show_id, first)
);

ALTER TABLE bc_show_state ADD COLUMN places_from integer;

-- bc_place_hold takes the places to pick and answers the places picked. PostgreSQL will not
-- replace a function whose arguments or result change, so the old signature goes here.
DROP FUNCTION IF EXISTS bc_place_hold(bigint, text, integer[], bigint, bigint, bigint, integer, integer,
    text, integer[], integer[], boolean);
