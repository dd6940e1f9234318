-- Holds: place, extend, release. A hold's seats are its claims in bc_seat_claims, which last
-- until the hold's expiry: an expired hold blocks nothing, swept or not (bc_live).

-- The checks every use of a hold makes, on its row (all nulls when there is none): it exists, the
-- actor may act on it, it is live at p_now, and the fence presented (if any) is current.
CREATE OR REPLACE FUNCTION bc_check_hold(h bc_holds, p_hold bigint, p_actor text, p_now bigint,
    p_fence bigint) RETURNS bc_holds
LANGUAGE plpgsql AS $$
BEGIN
    IF h.id IS NULL THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'hold', 'id', p_hold));
    END IF;
    IF p_actor IS NOT NULL AND p_actor <> h.owner THEN
        PERFORM bc_fail('not_owner', jsonb_build_object('hold', p_hold));
    END IF;
    IF NOT bc_live(h.expires_at, p_now) THEN
        PERFORM bc_fail('hold_expired', jsonb_build_object('hold', p_hold));
    END IF;
    IF p_fence IS NOT NULL AND p_fence <> h.fence THEN
        PERFORM bc_fail('stale_fence', jsonb_build_object('presented', p_fence, 'current', h.fence));
    END IF;
    RETURN h;
END $$;

-- A hold the actor may act on, live at p_now, with the expected fence (when one is given).
CREATE OR REPLACE FUNCTION bc_live_hold(p_show bigint, p_hold bigint, p_actor text, p_now bigint,
    p_fence bigint) RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    h bc_holds;
BEGIN
    SELECT * INTO h FROM bc_holds WHERE show_id = p_show AND id = p_hold;
    RETURN bc_check_hold(h, p_hold, p_actor, p_now, p_fence);
END $$;

-- Checks a seat list against a show: not empty, inside the layout, no seat twice. The engine has
-- checked it against the layout already; this keeps a claim from naming a seat the show lacks,
-- whoever calls.
CREATE OR REPLACE FUNCTION bc_check_seats(s bc_show_state, p_seats integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    n integer := coalesce(array_length(p_seats, 1), 0);
BEGIN
    -- Plain loops: no query, and seat lists are short (the engine caps them).
    FOR i IN 1..n LOOP
        IF p_seats[i] IS NULL OR p_seats[i] < 0 OR p_seats[i] >= s.seat_count THEN
            PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'seats',
                'reason', format('seat index %s is outside the layout', p_seats[i])));
        END IF;
        FOR j IN 1..i - 1 LOOP
            IF p_seats[j] = p_seats[i] THEN
                PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'seats',
                    'reason', format('seat index %s is named twice', p_seats[i])));
            END IF;
        END LOOP;
    END LOOP;
END $$;

-- The seats an owner has on a show at p_now: of its live holds, its pending bookings before their
-- deadline and its paid ones (core's BookingStatus::holds_seats).
CREATE OR REPLACE FUNCTION bc_owner_tickets(p_show bigint, p_owner text, p_now bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT sum(cardinality(h.seats)) FROM bc_holds h
            WHERE h.show_id = p_show AND h.owner = p_owner AND bc_live(h.expires_at, p_now)), 0)
         + coalesce((SELECT sum(cardinality(b.seats)) FROM bc_bookings b
            WHERE b.owner = p_owner AND b.show_id = p_show
              AND (b.status = 'confirmed' OR (b.status = 'pending' AND bc_live(b.payment_deadline, p_now)))), 0)
$$;

-- Takes every seat or none: a seat is free when it has no claim or its claim has ended. The
-- owner's limit of live holds (p_owner_max) is the engine's; its cap of tickets on the show
-- (p_tickets_max, NULL: none) is the show's, and counts the seats of its live holds, pending
-- bookings and paid ones (bc_owner_tickets). p_free and p_taken are the witness
-- of the engine's no-orphan check (core's SeatWitness): seats it saw free and taken around the
-- selection; if one is no longer so, nothing is placed (`seats_changed`). p_places asks for
-- places of zones by quantity, four integers a zone (its id, first place, capacity, quantity):
-- they are picked after the seats (bc_pick_places), appended to them, named in the quote, and
-- answered in o_places. The show row's lock, taken first, orders this against every other change
-- of the show's seats.
CREATE OR REPLACE FUNCTION bc_place_hold(p_show bigint, p_owner text, p_seats integer[], p_now bigint,
    p_expires bigint, p_max_expires bigint, p_owner_max integer, p_tickets_max integer, p_quote text,
    p_free integer[], p_taken integer[], p_async boolean, p_places integer[] DEFAULT '{}',
    OUT o_hold bigint, OUT o_fence bigint, OUT o_places integer[])
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    v_taken integer;
    v_bad integer[];
    v_wanted integer := 0;
BEGIN
    o_places := '{}';
    FOR i IN 0..cardinality(p_places) / 4 - 1 LOOP
        v_wanted := v_wanted + p_places[i * 4 + 4];
    END LOOP;
    s := bc_take_show(p_show, 'show', p_show, 1, 1);
    IF s.status <> 'scheduled' THEN
        PERFORM bc_fail('show_cancelled', jsonb_build_object('show', p_show));
    END IF;
    PERFORM bc_check_seats(s, p_seats);
    IF (SELECT count(*) FROM bc_holds h
            WHERE h.show_id = p_show AND h.owner = p_owner AND bc_live(h.expires_at, p_now)) >= p_owner_max THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'holds_per_owner', 'max', p_owner_max));
    END IF;
    IF p_tickets_max IS NOT NULL
            AND bc_owner_tickets(p_show, p_owner, p_now) + cardinality(p_seats) + v_wanted > p_tickets_max THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'tickets_per_owner', 'max', p_tickets_max));
    END IF;
    o_hold := bc_lease_id(p_show, s.next_lease - 1);
    o_fence := s.next_seq - 1;
    IF NOT (p_seats && s.blocked) THEN
        -- The claim itself decides: an ended claim is overwritten, a live one is left alone.
        INSERT INTO bc_seat_claims AS c (show_id, seat, hold_id, booking_id, until)
            SELECT p_show, x, o_hold, NULL, p_expires FROM unnest(p_seats) x
            ON CONFLICT (show_id, seat) DO UPDATE
                SET hold_id = EXCLUDED.hold_id, booking_id = NULL, until = EXCLUDED.until
                WHERE NOT bc_live(c.until, p_now);
        GET DIAGNOSTICS v_taken = ROW_COUNT;
    END IF;
    IF cardinality(p_seats) = 0 THEN
        v_taken := 0;
    END IF;
    IF v_taken IS DISTINCT FROM cardinality(p_seats) THEN
        SELECT array_agg(x ORDER BY o) INTO v_bad FROM unnest(p_seats) WITH ORDINALITY AS t(x, o)
            WHERE x = ANY (s.blocked) OR EXISTS (SELECT 1 FROM bc_seat_claims c
                WHERE c.show_id = p_show AND c.seat = x AND bc_live(c.until, p_now)
                  AND c.hold_id IS DISTINCT FROM o_hold);
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', coalesce(to_jsonb(v_bad), '[]')));
    END IF;
    IF cardinality(p_free) > 0 OR cardinality(p_taken) > 0 THEN
        SELECT array_agg(x ORDER BY x) INTO v_bad FROM (
            SELECT x FROM unnest(p_free) x WHERE EXISTS (SELECT 1 FROM bc_seat_claims c
                WHERE c.show_id = p_show AND c.seat = x AND bc_live(c.until, p_now))
            UNION ALL
            SELECT x FROM unnest(p_taken) x WHERE NOT EXISTS (SELECT 1 FROM bc_seat_claims c
                WHERE c.show_id = p_show AND c.seat = x AND bc_live(c.until, p_now))) t;
        IF v_bad IS NOT NULL THEN
            PERFORM bc_fail('seats_changed', jsonb_build_object('seats', to_jsonb(v_bad)));
        END IF;
    END IF;
    IF v_wanted > 0 THEN
        FOR i IN 0..cardinality(p_places) / 4 - 1 LOOP
            o_places := o_places || bc_pick_places(p_show, p_places[i * 4 + 1], p_places[i * 4 + 2],
                p_places[i * 4 + 3], p_places[i * 4 + 4], p_now);
        END LOOP;
        INSERT INTO bc_seat_claims AS c (show_id, seat, hold_id, booking_id, until)
            SELECT p_show, x, o_hold, NULL, p_expires FROM unnest(o_places) x
            ON CONFLICT (show_id, seat) DO UPDATE
                SET hold_id = EXCLUDED.hold_id, booking_id = NULL, until = EXCLUDED.until
                WHERE NOT bc_live(c.until, p_now);
        p_seats := p_seats || o_places;
        p_quote := bc_label_places(p_quote, p_places, o_places);
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind)
        VALUES (p_show, o_fence, p_now, bc_ev_hold_placed(o_hold, p_owner, p_seats, p_expires));
    INSERT INTO bc_holds (show_id, id, owner, seats, placed_at, expires_at, max_expires_at, fence, quote)
        VALUES (p_show, o_hold, p_owner, p_seats, p_now, p_expires, p_max_expires, o_fence, p_quote::json);
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
END $$;

-- Extends a live hold to min(now + p_extend_by, its maximum expiry); refuses once it is at its
-- maximum already (the limit reported is its whole lifetime).
CREATE OR REPLACE FUNCTION bc_extend_hold(p_hold bigint, p_actor text, p_now bigint, p_extend_by bigint,
    p_fence bigint, p_async boolean) RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := bc_show_of(p_hold);
    h bc_holds;
    v_wanted bigint;
BEGIN
    PERFORM bc_take_show(v_show, 'hold', p_hold, 0, 0);
    h := bc_live_hold(v_show, p_hold, p_actor, p_now, p_fence);
    v_wanted := least(bc_plus_millis(p_now, p_extend_by), h.max_expires_at);
    IF v_wanted <= h.expires_at THEN
        IF h.expires_at >= h.max_expires_at THEN
            PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'hold_lifetime_ms',
                'max', greatest(h.max_expires_at - h.placed_at, 0)));
        END IF;
        RETURN h;
    END IF;
    UPDATE bc_seat_claims SET until = v_wanted WHERE show_id = v_show AND seat = ANY (h.seats) AND hold_id = p_hold;
    h.expires_at := v_wanted;
    h.fence := bc_append(v_show, p_now, bc_ev_hold_extended(p_hold, v_wanted));
    UPDATE bc_holds SET expires_at = h.expires_at, fence = h.fence WHERE show_id = v_show AND id = p_hold;
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
    RETURN h;
END $$;

CREATE OR REPLACE FUNCTION bc_release_hold(p_hold bigint, p_actor text, p_now bigint, p_fence bigint,
    p_async boolean) RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := bc_show_of(p_hold);
    s bc_show_state;
    h bc_holds;
BEGIN
    s := bc_take_show(v_show, 'hold', p_hold, 0, 1);
    -- Deleted first and checked after: a refusal undoes the delete.
    DELETE FROM bc_holds WHERE show_id = v_show AND id = p_hold RETURNING * INTO h;
    h := bc_check_hold(h, p_hold, p_actor, p_now, p_fence);
    PERFORM bc_unclaim(v_show, h.seats, p_hold, NULL);
    INSERT INTO bc_events (show_id, seq, at, kind)
        VALUES (v_show, s.next_seq - 1, p_now, bc_ev_hold_released(p_hold, h.seats));
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
    RETURN h;
END $$;
