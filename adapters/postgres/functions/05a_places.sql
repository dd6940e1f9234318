-- General admission by quantity (core's `places`): a hold asks for places of a zone by number,
-- and the store picks free ones inside the hold's atomic step, without reading the zone.

-- Whether a place is free at p_now: no claim, or one that has ended.
CREATE OR REPLACE FUNCTION bc_place_free(p_show bigint, p_seat integer, p_now bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM bc_seat_claims c
        WHERE c.show_id = p_show AND c.seat = p_seat AND bc_live(c.until, p_now))
$$;

-- Picks p_quantity places free at p_now among p_capacity from p_first: first those given back
-- (each candidate leaves the pool; a taken one comes back when it is freed), then those never
-- given out (the zone's cursor), then those of holds and pending bookings that ended by
-- themselves and were not swept (found through the expiry indexes, so a pass costs what has
-- lapsed, not the zone). Fewer: `places_unavailable`, which undoes everything. The caller holds
-- the show's row lock; the places it claimed already (the hold's seats) are not free.
CREATE OR REPLACE FUNCTION bc_pick_places(p_show bigint, p_zone integer, p_first integer,
    p_capacity integer, p_quantity integer, p_now bigint) RETURNS integer[]
LANGUAGE plpgsql AS $$
DECLARE
    v_out integer[] := '{}';
    v_cand integer[];
    v_next integer;
    x integer;
BEGIN
    IF p_quantity < 1 OR p_first < 0 OR p_capacity < 1
            OR p_first + p_capacity > (SELECT seat_count FROM bc_show_state WHERE show_id = p_show) THEN
        PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'places',
            'reason', format('zone %s is not a range of the layout', p_zone)));
    END IF;
    UPDATE bc_show_state SET places_from = p_first
        WHERE show_id = p_show AND (places_from IS NULL OR places_from > p_first);
    LOOP
        EXIT WHEN cardinality(v_out) >= p_quantity;
        WITH c AS (DELETE FROM bc_place_pool p WHERE p.show_id = p_show AND p.seat IN (
                SELECT q.seat FROM bc_place_pool q WHERE q.show_id = p_show AND q.seat >= p_first
                    AND q.seat < p_first + p_capacity ORDER BY q.seat LIMIT p_quantity - cardinality(v_out))
                RETURNING p.seat)
            SELECT array_agg(seat) INTO v_cand FROM c;
        EXIT WHEN v_cand IS NULL;
        FOREACH x IN ARRAY v_cand LOOP
            IF cardinality(v_out) < p_quantity AND bc_place_free(p_show, x, p_now) THEN
                v_out := v_out || x;
            ELSIF cardinality(v_out) >= p_quantity THEN
                INSERT INTO bc_place_pool (show_id, seat) VALUES (p_show, x) ON CONFLICT DO NOTHING;
            END IF;
        END LOOP;
    END LOOP;
    IF cardinality(v_out) < p_quantity THEN
        INSERT INTO bc_zone_cursor AS z (show_id, first, next) VALUES (p_show, p_first, 0)
            ON CONFLICT (show_id, first) DO UPDATE SET next = z.next RETURNING z.next INTO v_next;
        WHILE cardinality(v_out) < p_quantity AND v_next < p_capacity LOOP
            x := p_first + v_next;
            v_next := v_next + 1;
            IF bc_place_free(p_show, x, p_now) THEN
                v_out := v_out || x;
            END IF;
        END LOOP;
        UPDATE bc_zone_cursor SET next = v_next WHERE show_id = p_show AND first = p_first;
    END IF;
    IF cardinality(v_out) < p_quantity THEN
        FOR x IN SELECT DISTINCT t.s FROM (
                SELECT unnest(h.seats) AS s FROM bc_holds h
                    WHERE h.expires_at <= p_now AND h.show_id = p_show
                UNION ALL
                SELECT unnest(b.seats) FROM bc_bookings b
                    WHERE b.status = 'pending' AND b.payment_deadline <= p_now AND b.show_id = p_show) t
                WHERE t.s >= p_first AND t.s < p_first + p_capacity LOOP
            EXIT WHEN cardinality(v_out) >= p_quantity;
            IF x <> ALL (v_out) AND bc_place_free(p_show, x, p_now) THEN
                v_out := v_out || x;
            END IF;
        END LOOP;
    END IF;
    IF cardinality(v_out) < p_quantity THEN
        PERFORM bc_fail('places_unavailable', jsonb_build_object('zone', p_zone, 'wanted', p_quantity));
    END IF;
    RETURN v_out;
END $$;

-- Deletes the claims of p_seats that the hold p_hold or the booking p_booking has, and pools the
-- places among them for bc_pick_places (once the show has picked places).
CREATE OR REPLACE FUNCTION bc_unclaim(p_show bigint, p_seats integer[], p_hold bigint, p_booking bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_from integer;
BEGIN
    SELECT places_from INTO v_from FROM bc_show_state WHERE show_id = p_show;
    IF v_from IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(p_seats) x WHERE x >= v_from) THEN
        DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (p_seats)
            AND (hold_id = p_hold OR booking_id = p_booking);
        RETURN;
    END IF;
    WITH gone AS (DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (p_seats)
            AND (hold_id = p_hold OR booking_id = p_booking) RETURNING seat)
        INSERT INTO bc_place_pool (show_id, seat) SELECT p_show, seat FROM gone WHERE seat >= v_from
            ON CONFLICT DO NOTHING;
END $$;

-- The quote's JSON text with its place placeholders named after the places picked (core's
-- `placeholder_json` and `place_json`; the conformance checks hold the labels to core's).
CREATE OR REPLACE FUNCTION bc_label_places(p_quote text, p_places integer[], p_picked integer[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_k integer := 0;
    v_first integer;
    v_cap integer;
    x integer;
BEGIN
    FOREACH x IN ARRAY p_picked LOOP
        v_k := v_k + 1;
        FOR i IN 0..cardinality(p_places) / 4 - 1 LOOP
            v_first := p_places[i * 4 + 2];
            v_cap := p_places[i * 4 + 3];
            IF x >= v_first AND x < v_first + v_cap THEN
                p_quote := replace(p_quote, '-\u0001' || v_k || '"', '-' || (x - v_first + 1) || '"');
            END IF;
        END LOOP;
    END LOOP;
    RETURN p_quote;
END $$;
