-- booking-core on PostgreSQL: every seat-changing operation is one function, called in one
-- statement, so it is one atomic step with one round trip. Each first locks its show's row in
-- bc_show_state (one lock per call, always the same kind, so calls never deadlock) with the same
-- UPDATE that reserves the ids and event numbers it will use, then checks, then writes. A failed
-- check raises SQLSTATE BC000 with the error code as the message and its details as JSON; the
-- raise undoes whatever the call had written, the reservations included, so the log keeps no gap.
--
-- Holds and bookings come back as rows of their tables (no JSON is built for them). Hold
-- operations take p_async: when true, their commit does not wait for the WAL flush
-- (synchronous_commit off for that transaction only), see the crate README.
--
-- Actors: p_actor is the owner who asks, or NULL for staff (no ownership check).

CREATE FUNCTION bc_fail(p_code text, p_detail jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'BC000', MESSAGE = p_code, DETAIL = p_detail::text;
END $$;

-- Locks the show of an operation and reserves p_leases ids and p_events event numbers: they are
-- the ones just below the returned next_lease and next_seq. A missing show is reported as the
-- missing `p_entity`.
CREATE FUNCTION bc_take_show(p_show bigint, p_entity text, p_id bigint, p_leases integer,
    p_events integer) RETURNS bc_show_state
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
BEGIN
    UPDATE bc_show_state SET next_lease = next_lease + p_leases, next_seq = next_seq + p_events
        WHERE show_id = p_show RETURNING * INTO s;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', p_entity, 'id', p_id));
    END IF;
    IF s.next_lease > 16777216 THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'leases_per_show', 'max', 16777215));
    END IF;
    RETURN s;
END $$;

-- Appends an event to a locked show's log; returns its sequence number.
CREATE FUNCTION bc_append(p_show bigint, p_at bigint, p_kind jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_seq bigint;
BEGIN
    UPDATE bc_show_state SET next_seq = next_seq + 1 WHERE show_id = p_show RETURNING next_seq - 1 INTO v_seq;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (p_show, v_seq, p_at, p_kind::json);
    RETURN v_seq;
END $$;

-- The booking state machine of the core (BookingStatus::apply), or an invalid_transition error.
CREATE FUNCTION bc_transition(p_from text, p_action text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    CASE
        WHEN p_from = 'pending' AND p_action = 'confirm' THEN RETURN 'confirmed';
        WHEN p_from = 'pending' AND p_action = 'expire' THEN RETURN 'expired';
        WHEN p_from IN ('pending', 'confirmed') AND p_action = 'cancel' THEN RETURN 'cancelled';
        WHEN p_from = 'confirmed' AND p_action = 'refund' THEN RETURN 'refunded';
        WHEN p_from IN ('confirmed', 'checked_in') AND p_action = 'check_in' THEN RETURN 'checked_in';
        ELSE
            PERFORM bc_fail('invalid_transition', jsonb_build_object('from', p_from, 'action', p_action));
            RETURN NULL;
    END CASE;
END $$;

-- The status of a booking at p_now: a pending booking past its deadline is expired.
CREATE FUNCTION bc_status_at(b bc_bookings, p_now bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN b.status = 'pending' AND p_now >= b.payment_deadline THEN 'expired' ELSE b.status END
$$;

-- The checks every use of a hold makes, on its row (all nulls when there is none): it exists, the
-- actor may act on it, it is live at p_now, and the fence presented (if any) is current.
CREATE FUNCTION bc_check_hold(h bc_holds, p_hold bigint, p_actor text, p_now bigint, p_fence bigint)
RETURNS bc_holds
LANGUAGE plpgsql AS $$
BEGIN
    IF h.id IS NULL THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'hold', 'id', p_hold));
    END IF;
    IF p_actor IS NOT NULL AND p_actor <> h.owner THEN
        PERFORM bc_fail('not_owner', jsonb_build_object('hold', p_hold));
    END IF;
    IF h.expires_at <= p_now THEN
        PERFORM bc_fail('hold_expired', jsonb_build_object('hold', p_hold));
    END IF;
    IF p_fence IS NOT NULL AND p_fence <> h.fence THEN
        PERFORM bc_fail('stale_fence', jsonb_build_object('presented', p_fence, 'current', h.fence));
    END IF;
    RETURN h;
END $$;

-- A hold the actor may act on, live at p_now, with the expected fence (when one is given).
CREATE FUNCTION bc_live_hold(p_show bigint, p_hold bigint, p_actor text, p_now bigint, p_fence bigint)
RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    h bc_holds;
BEGIN
    SELECT * INTO h FROM bc_holds WHERE show_id = p_show AND id = p_hold;
    RETURN bc_check_hold(h, p_hold, p_actor, p_now, p_fence);
END $$;

-- Checks a seat list against a show: not empty, inside the layout, no seat twice.
CREATE FUNCTION bc_check_seats(s bc_show_state, p_seats integer[]) RETURNS void
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

CREATE FUNCTION bc_schedule_show(p_screen bigint, p_theatre bigint, p_starts bigint, p_ends bigint,
    p_seat_count integer, p_blocked integer[], p_data jsonb, p_now bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_other bigint;
    v_id bigint;
BEGIN
    -- One scheduling at a time per screen, so two overlapping shows cannot both pass the check.
    PERFORM 1 FROM bc_screens WHERE id = p_screen FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'screen', 'id', p_screen));
    END IF;
    SELECT sh.id INTO v_other FROM bc_shows sh JOIN bc_show_state st ON st.show_id = sh.id
        WHERE sh.screen_id = p_screen AND st.status = 'scheduled'
          AND sh.starts_at < p_ends AND sh.ends_at > p_starts
        ORDER BY sh.starts_at LIMIT 1;
    IF FOUND THEN
        PERFORM bc_fail('show_overlap', jsonb_build_object('other', v_other));
    END IF;
    INSERT INTO bc_shows (screen_id, theatre_id, starts_at, ends_at, data)
        VALUES (p_screen, p_theatre, p_starts, p_ends, p_data) RETURNING id INTO v_id;
    IF v_id >= 549755813888 THEN -- 2^39: ids stay exact in a JavaScript number
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'shows', 'max', 549755813887));
    END IF;
    INSERT INTO bc_show_state (show_id, seat_count, blocked) VALUES (v_id, p_seat_count, p_blocked);
    PERFORM bc_append(v_id, p_now, '{"type": "show_scheduled"}');
    RETURN v_id;
END $$;

-- Takes every seat or none: a seat is free when it has no claim or its claim has ended.
CREATE FUNCTION bc_place_hold(p_show bigint, p_owner text, p_seats integer[], p_now bigint,
    p_expires bigint, p_max_expires bigint, p_owner_max integer, p_quote text, p_async boolean,
    OUT o_hold bigint, OUT o_fence bigint)
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    v_taken integer;
    v_bad integer[];
BEGIN
    s := bc_take_show(p_show, 'show', p_show, 1, 1);
    IF s.status <> 'scheduled' THEN
        PERFORM bc_fail('show_cancelled', jsonb_build_object('show', p_show));
    END IF;
    PERFORM bc_check_seats(s, p_seats);
    IF (SELECT count(*) FROM bc_holds h
            WHERE h.show_id = p_show AND h.owner = p_owner AND h.expires_at > p_now) >= p_owner_max THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'holds_per_owner', 'max', p_owner_max));
    END IF;
    o_hold := p_show * 16777216 + s.next_lease - 1;
    o_fence := s.next_seq - 1;
    IF NOT (p_seats && s.blocked) THEN
        -- The claim itself decides: an ended claim is overwritten, a live one is left alone.
        INSERT INTO bc_seat_claims AS c (show_id, seat, hold_id, booking_id, until)
            SELECT p_show, x, o_hold, NULL, p_expires FROM unnest(p_seats) x
            ON CONFLICT (show_id, seat) DO UPDATE
                SET hold_id = EXCLUDED.hold_id, booking_id = NULL, until = EXCLUDED.until
                WHERE c.until <= p_now;
        GET DIAGNOSTICS v_taken = ROW_COUNT;
    END IF;
    IF v_taken IS DISTINCT FROM cardinality(p_seats) THEN
        SELECT array_agg(x ORDER BY o) INTO v_bad FROM unnest(p_seats) WITH ORDINALITY AS t(x, o)
            WHERE x = ANY (s.blocked) OR EXISTS (SELECT 1 FROM bc_seat_claims c
                WHERE c.show_id = p_show AND c.seat = x AND c.until > p_now
                  AND c.hold_id IS DISTINCT FROM o_hold);
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', to_jsonb(v_bad)));
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (p_show, o_fence, p_now,
        json_build_object('type', 'hold_placed', 'hold', o_hold, 'owner', p_owner, 'seats', p_seats,
            'expires_at', p_expires));
    INSERT INTO bc_holds (show_id, id, owner, seats, placed_at, expires_at, max_expires_at, fence, quote)
        VALUES (p_show, o_hold, p_owner, p_seats, p_now, p_expires, p_max_expires, o_fence, p_quote::json);
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

CREATE FUNCTION bc_extend_hold(p_hold bigint, p_actor text, p_now bigint, p_extend_by bigint,
    p_fence bigint, p_async boolean) RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_hold >> 24;
    h bc_holds;
    v_wanted bigint;
BEGIN
    PERFORM bc_take_show(v_show, 'hold', p_hold, 0, 0);
    h := bc_live_hold(v_show, p_hold, p_actor, p_now, p_fence);
    v_wanted := least(p_now + p_extend_by, h.max_expires_at);
    IF v_wanted <= h.expires_at THEN
        IF h.expires_at >= h.max_expires_at THEN
            PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'hold_lifetime_ms',
                'max', greatest(h.max_expires_at - h.placed_at, 0)));
        END IF;
        RETURN h;
    END IF;
    UPDATE bc_seat_claims SET until = v_wanted WHERE show_id = v_show AND seat = ANY (h.seats) AND hold_id = p_hold;
    h.expires_at := v_wanted;
    h.fence := bc_append(v_show, p_now, jsonb_build_object('type', 'hold_extended', 'hold', p_hold,
        'expires_at', v_wanted));
    UPDATE bc_holds SET expires_at = h.expires_at, fence = h.fence WHERE show_id = v_show AND id = p_hold;
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    RETURN h;
END $$;

CREATE FUNCTION bc_release_hold(p_hold bigint, p_actor text, p_now bigint, p_fence bigint,
    p_async boolean) RETURNS bc_holds
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_hold >> 24;
    s bc_show_state;
    h bc_holds;
BEGIN
    s := bc_take_show(v_show, 'hold', p_hold, 0, 1);
    -- Deleted first and checked after: a refusal undoes the delete.
    DELETE FROM bc_holds WHERE show_id = v_show AND id = p_hold RETURNING * INTO h;
    h := bc_check_hold(h, p_hold, p_actor, p_now, p_fence);
    DELETE FROM bc_seat_claims WHERE show_id = v_show AND seat = ANY (h.seats) AND hold_id = p_hold;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        json_build_object('type', 'hold_released', 'hold', p_hold, 'seats', h.seats));
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    RETURN h;
END $$;

-- Releases expired holds and expires overdue bookings of one show, at most p_limit of each.
CREATE FUNCTION bc_sweep_show(p_show bigint, p_now bigint, p_limit integer,
    OUT o_holds integer, OUT o_bookings integer)
LANGUAGE plpgsql AS $$
DECLARE
    h bc_holds;
    b bc_bookings;
BEGIN
    PERFORM bc_take_show(p_show, 'show', p_show, 0, 0);
    o_holds := 0;
    o_bookings := 0;
    FOR h IN SELECT * FROM bc_holds WHERE show_id = p_show AND expires_at <= p_now ORDER BY id LIMIT p_limit LOOP
        DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (h.seats) AND hold_id = h.id;
        DELETE FROM bc_holds WHERE show_id = p_show AND id = h.id;
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'hold_expired', 'hold', h.id,
            'seats', to_jsonb(h.seats)));
        o_holds := o_holds + 1;
    END LOOP;
    FOR b IN SELECT * FROM bc_bookings WHERE show_id = p_show AND status = 'pending'
            AND payment_deadline <= p_now ORDER BY id LIMIT p_limit LOOP
        PERFORM bc_expire_booking(b, p_now);
        o_bookings := o_bookings + 1;
    END LOOP;
END $$;

CREATE FUNCTION bc_expire_booking(b bc_bookings, p_now bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bc_bookings SET status = 'expired', updated_at = p_now WHERE show_id = b.show_id AND id = b.id;
    DELETE FROM bc_seat_claims WHERE show_id = b.show_id AND seat = ANY (b.seats) AND booking_id = b.id;
    PERFORM bc_append(b.show_id, p_now, jsonb_build_object('type', 'booking_expired', 'booking', b.id,
        'seats', to_jsonb(b.seats)));
END $$;

CREATE FUNCTION bc_create_booking(p_hold bigint, p_actor text, p_now bigint, p_key text,
    p_window bigint, p_fence bigint, p_promo text, p_promo_max integer, p_async boolean) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_hold >> 24;
    s bc_show_state;
    h bc_holds;
    b bc_bookings;
    k bc_idempotency;
BEGIN
    s := bc_take_show(v_show, 'hold', p_hold, 1, 1);
    SELECT * INTO k FROM bc_idempotency WHERE show_id = v_show AND key = p_key;
    IF FOUND THEN
        IF k.kind <> 'create' OR k.hold_id <> p_hold THEN
            PERFORM bc_fail('idempotency_conflict', '{}');
        END IF;
        SELECT * INTO b FROM bc_bookings WHERE show_id = v_show AND id = k.booking_id;
        IF p_actor IS NOT NULL AND p_actor <> b.owner THEN
            PERFORM bc_fail('not_owner', jsonb_build_object('hold', p_hold));
        END IF;
        -- A replay changes nothing: give back the id and event number taken above (the row is
        -- still locked by this call, so nobody took a later one).
        UPDATE bc_show_state SET next_lease = next_lease - 1, next_seq = next_seq - 1 WHERE show_id = v_show;
        RETURN b;
    END IF;
    h := bc_live_hold(v_show, p_hold, p_actor, p_now, p_fence);
    IF p_promo IS NOT NULL AND coalesce((SELECT uses FROM bc_promo_uses
            WHERE show_id = v_show AND code = p_promo), 0) >= p_promo_max THEN
        PERFORM bc_fail('promo_exhausted', jsonb_build_object('code', p_promo));
    END IF;
    b.show_id := v_show;
    b.id := v_show * 16777216 + s.next_lease - 1;
    b.owner := h.owner;
    b.hold_id := p_hold;
    b.seats := h.seats;
    b.quote := h.quote;
    b.status := 'pending';
    b.created_at := p_now;
    b.payment_deadline := greatest(h.expires_at, least(p_now + p_window, h.max_expires_at));
    b.updated_at := p_now;
    b.checked_in := '{}';
    UPDATE bc_seat_claims SET hold_id = NULL, booking_id = b.id, until = b.payment_deadline
        WHERE show_id = v_show AND seat = ANY (h.seats) AND hold_id = p_hold;
    IF p_promo IS NOT NULL THEN
        INSERT INTO bc_promo_uses AS u (show_id, code, uses) VALUES (v_show, p_promo, 1)
            ON CONFLICT (show_id, code) DO UPDATE SET uses = u.uses + 1;
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        json_build_object('type', 'booking_created', 'booking', b.id, 'hold', p_hold, 'owner', h.owner,
            'seats', h.seats, 'payment_deadline', b.payment_deadline, 'total', h.quote -> 'total'));
    DELETE FROM bc_holds WHERE show_id = v_show AND id = p_hold;
    INSERT INTO bc_bookings VALUES (b.*);
    INSERT INTO bc_idempotency (show_id, key, kind, hold_id, booking_id)
        VALUES (v_show, p_key, 'create', p_hold, b.id);
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    RETURN b;
END $$;

-- A booking the actor may act on, from a locked show.
CREATE FUNCTION bc_owned_booking(p_show bigint, p_booking bigint, p_actor text) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    b bc_bookings;
BEGIN
    SELECT * INTO b FROM bc_bookings WHERE show_id = p_show AND id = p_booking;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'booking', 'id', p_booking));
    END IF;
    IF p_actor IS NOT NULL AND p_actor <> b.owner THEN
        PERFORM bc_fail('not_owner', jsonb_build_object('booking', p_booking));
    END IF;
    RETURN b;
END $$;

CREATE FUNCTION bc_confirm_booking(p_booking bigint, p_actor text, p_now bigint, p_payment_ref text,
    p_key text) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_booking >> 24;
    s bc_show_state;
    b bc_bookings;
    k bc_idempotency;
BEGIN
    s := bc_take_show(v_show, 'booking', p_booking, 0, 1);
    SELECT * INTO k FROM bc_idempotency WHERE show_id = v_show AND key = p_key;
    IF FOUND THEN
        IF k.kind <> 'confirm' OR k.booking_id <> p_booking THEN
            PERFORM bc_fail('idempotency_conflict', '{}');
        END IF;
        b := bc_owned_booking(v_show, p_booking, p_actor);
        -- A replay changes nothing: give back the event number taken above.
        UPDATE bc_show_state SET next_seq = next_seq - 1 WHERE show_id = v_show;
        RETURN b;
    END IF;
    b := bc_owned_booking(v_show, p_booking, p_actor);
    IF b.status = 'pending' AND p_now >= b.payment_deadline THEN
        PERFORM bc_fail('hold_expired', jsonb_build_object('booking', p_booking));
    END IF;
    b.status := bc_transition(b.status, 'confirm');
    b.payment_ref := p_payment_ref;
    b.updated_at := p_now;
    UPDATE bc_seat_claims SET until = 9223372036854775807
        WHERE show_id = v_show AND seat = ANY (b.seats) AND booking_id = p_booking;
    -- The unique index on live tickets refuses a second ticket for a seat, whatever happened above.
    INSERT INTO bc_tickets (show_id, booking_id, seat) SELECT v_show, p_booking, x FROM unnest(b.seats) x;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        json_build_object('type', 'booking_confirmed', 'booking', p_booking, 'payment_ref', p_payment_ref,
            'total', b.quote -> 'total'));
    UPDATE bc_bookings SET status = b.status, payment_ref = p_payment_ref, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking;
    INSERT INTO bc_idempotency (show_id, key, kind, booking_id) VALUES (v_show, p_key, 'confirm', p_booking);
    RETURN b;
END $$;

-- Cancels or refunds a booking of a locked show; frees its seats and voids its tickets.
CREATE FUNCTION bc_end_locked(p_show bigint, p_booking bigint, p_actor text, p_now bigint,
    p_action text) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    b bc_bookings;
    v_from text;
    v_next text;
BEGIN
    b := bc_owned_booking(p_show, p_booking, p_actor);
    v_from := bc_status_at(b, p_now);
    v_next := bc_transition(v_from, p_action);
    DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (b.seats) AND booking_id = p_booking;
    UPDATE bc_tickets SET live = false WHERE show_id = p_show AND booking_id = p_booking;
    IF v_next = 'refunded' THEN
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'booking_refunded',
            'booking', p_booking, 'seats', to_jsonb(b.seats), 'total', (b.quote -> 'total')::jsonb));
    ELSE
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'booking_cancelled',
            'booking', p_booking, 'seats', to_jsonb(b.seats), 'from', v_from));
    END IF;
    UPDATE bc_bookings SET status = v_next, updated_at = p_now WHERE show_id = p_show AND id = p_booking
        RETURNING * INTO b;
    RETURN b;
END $$;

CREATE FUNCTION bc_end_booking(p_booking bigint, p_actor text, p_now bigint, p_action text)
RETURNS bc_bookings
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bc_take_show(p_booking >> 24, 'booking', p_booking, 0, 0);
    RETURN bc_end_locked(p_booking >> 24, p_booking, p_actor, p_now, p_action);
END $$;

CREATE FUNCTION bc_check_in(p_booking bigint, p_seat integer, p_now bigint) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_booking >> 24;
    b bc_bookings;
    v_next text;
BEGIN
    PERFORM bc_take_show(v_show, 'booking', p_booking, 0, 0);
    b := bc_owned_booking(v_show, p_booking, NULL);
    v_next := bc_transition(bc_status_at(b, p_now), 'check_in');
    IF NOT (p_seat = ANY (b.seats)) THEN
        PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'seat',
            'reason', format('seat index %s is not part of %s', p_seat, p_booking)));
    END IF;
    IF p_seat = ANY (b.checked_in) THEN
        PERFORM bc_fail('already_checked_in', jsonb_build_object('booking', p_booking, 'seat', p_seat));
    END IF;
    PERFORM bc_append(v_show, p_now, jsonb_build_object('type', 'ticket_checked_in', 'booking', p_booking,
        'seat', p_seat));
    UPDATE bc_tickets SET checked_in_at = p_now WHERE show_id = v_show AND booking_id = p_booking AND seat = p_seat;
    UPDATE bc_bookings SET status = v_next, checked_in = checked_in || p_seat, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking RETURNING * INTO b;
    RETURN b;
END $$;

CREATE FUNCTION bc_cancel_show(p_show bigint, p_now bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    h bc_holds;
    b bc_bookings;
    v_holds bigint[] := '{}';
    v_bookings bigint[] := '{}';
    v_status text;
BEGIN
    s := bc_take_show(p_show, 'show', p_show, 0, 0);
    IF s.status <> 'scheduled' THEN
        PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'show', 'reason', 'already cancelled'));
    END IF;
    FOR h IN SELECT * FROM bc_holds WHERE show_id = p_show ORDER BY id LOOP
        DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (h.seats) AND hold_id = h.id;
        DELETE FROM bc_holds WHERE show_id = p_show AND id = h.id;
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'hold_released', 'hold', h.id,
            'seats', to_jsonb(h.seats)));
        v_holds := v_holds || h.id;
    END LOOP;
    FOR b IN SELECT * FROM bc_bookings WHERE show_id = p_show ORDER BY id LOOP
        v_status := bc_status_at(b, p_now);
        IF b.status = 'pending' AND v_status = 'expired' THEN
            PERFORM bc_expire_booking(b, p_now);
        ELSIF v_status IN ('pending', 'confirmed') THEN
            PERFORM bc_end_locked(p_show, b.id, NULL, p_now, 'cancel');
            v_bookings := v_bookings || b.id;
        END IF;
    END LOOP;
    PERFORM bc_append(p_show, p_now, '{"type": "show_cancelled"}');
    UPDATE bc_show_state SET status = 'cancelled' WHERE show_id = p_show;
    RETURN jsonb_build_object('holds', to_jsonb(v_holds), 'bookings', to_jsonb(v_bookings));
END $$;

-- Batches: many holds placed or released in one call and one transaction, each in its own
-- subtransaction, so that one refusal leaves the others alone. The store's batcher collects the
-- requests that arrive while a call is in flight and sends them sorted by show, so that two
-- batches always lock shows in the same order and never deadlock. A refused item comes back with
-- its error code and details instead of a hold.
CREATE FUNCTION bc_place_holds(p_show bigint[], p_owner text[], p_counts integer[], p_seats integer[],
    p_now bigint[], p_expires bigint[], p_max_expires bigint[], p_owner_max integer[], p_quote text[],
    p_async boolean)
RETURNS TABLE (o_index integer, o_hold bigint, o_fence bigint, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
DECLARE
    v_from integer := 1;
BEGIN
    FOR i IN 1..coalesce(array_length(p_show, 1), 0) LOOP
        o_index := i;
        o_hold := NULL;
        o_fence := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            SELECT h.o_hold, h.o_fence INTO o_hold, o_fence FROM bc_place_hold(p_show[i], p_owner[i],
                p_seats[v_from:v_from + p_counts[i] - 1], p_now[i], p_expires[i], p_max_expires[i],
                p_owner_max[i], p_quote[i], false) h;
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        v_from := v_from + p_counts[i];
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

CREATE FUNCTION bc_release_holds(p_hold bigint[], p_actor text[], p_now bigint[], p_fence bigint[],
    p_async boolean)
RETURNS TABLE (o_index integer, o_row bc_holds, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..coalesce(array_length(p_hold, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            o_row := bc_release_hold(p_hold[i], p_actor[i], p_now[i], p_fence[i], false);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

CREATE FUNCTION bc_create_bookings(p_hold bigint[], p_actor text[], p_now bigint[], p_key text[],
    p_window bigint[], p_fence bigint[], p_promo text[], p_promo_max integer[], p_async boolean)
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..coalesce(array_length(p_hold, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            o_row := bc_create_booking(p_hold[i], p_actor[i], p_now[i], p_key[i], p_window[i], p_fence[i],
                p_promo[i], p_promo_max[i], false);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

-- Confirmations always wait for the WAL flush; a batch shares one flush among its items.
CREATE FUNCTION bc_confirm_bookings(p_booking bigint[], p_actor text[], p_now bigint[],
    p_payment_ref text[], p_key text[])
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..coalesce(array_length(p_booking, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            o_row := bc_confirm_booking(p_booking[i], p_actor[i], p_now[i], p_payment_ref[i], p_key[i]);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
