-- A sold seat's claim is its ticket. A confirmation wrote a row per seat in bc_tickets beside the
-- claim it had just made permanent (until = i64::MAX); now the claim alone records the sale, and
-- the schema guards it as the tickets' unique index did: while its booking is confirmed or
-- checked in, a sold claim cannot be taken by another lease, shortened or deleted, whatever the
-- code above it does. With the primary key (one claim per show and seat), a seat is sold to at
-- most one booking. Two rows and four index entries fewer per sold pair of seats. Check-ins were
-- already on the booking's row (`checked_in`), so bc_tickets held nothing else and goes.

-- Raised as a unique violation of `bc_seat_claims_sold`, which the store reports as
-- SEAT_UNAVAILABLE and logs, as it does the primary key's.
CREATE FUNCTION bc_guard_sold_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM bc_bookings b WHERE b.show_id = OLD.show_id
            AND b.id = OLD.booking_id AND b.status IN ('confirmed', 'checked_in')) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = 'bc_seat_claims_sold',
        TABLE = 'bc_seat_claims',
        MESSAGE = format('seat %s of show %s is sold to booking %s', OLD.seat, OLD.show_id, OLD.booking_id);
END $$;

-- The WHEN clauses run without calling the function, so the claims of holds and pending bookings
-- (every write of the hot path) pay only for one comparison.
CREATE TRIGGER bc_seat_claims_sold_kept BEFORE UPDATE ON bc_seat_claims FOR EACH ROW
    WHEN (OLD.until = 9223372036854775807 AND (NEW.until <> OLD.until OR NEW.seat <> OLD.seat
        OR NEW.show_id <> OLD.show_id OR NEW.booking_id IS DISTINCT FROM OLD.booking_id))
    EXECUTE FUNCTION bc_guard_sold_claim();
CREATE TRIGGER bc_seat_claims_sold_ended BEFORE DELETE ON bc_seat_claims FOR EACH ROW
    WHEN (OLD.until = 9223372036854775807)
    EXECUTE FUNCTION bc_guard_sold_claim();

-- As in 0002, less the tickets; and a claim that is not the booking's any more (taken by a lease
-- whose clock had passed the deadline) refuses the payment instead of selling the seat without it.
CREATE OR REPLACE FUNCTION bc_confirm_booking(p_booking bigint, p_actor text, p_now bigint,
    p_payment_ref text, p_key text) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := p_booking >> 24;
    s bc_show_state;
    b bc_bookings;
    k bc_idempotency;
    v_sold integer;
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
    GET DIAGNOSTICS v_sold = ROW_COUNT;
    IF v_sold <> cardinality(b.seats) THEN
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', (SELECT jsonb_agg(c.seat)
            FROM bc_seat_claims c WHERE c.show_id = v_show AND c.seat = ANY (b.seats)
              AND c.booking_id IS DISTINCT FROM p_booking)));
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        json_build_object('type', 'booking_confirmed', 'booking', p_booking, 'payment_ref', p_payment_ref,
            'total', b.quote -> 'total'));
    UPDATE bc_bookings SET status = b.status, payment_ref = p_payment_ref, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking;
    INSERT INTO bc_idempotency (show_id, key, kind, booking_id) VALUES (v_show, p_key, 'confirm', p_booking);
    RETURN b;
END $$;

-- As in 0002, less the tickets; the booking ends before its claims go, as the guard asks.
CREATE OR REPLACE FUNCTION bc_end_locked(p_show bigint, p_booking bigint, p_actor text, p_now bigint,
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
    UPDATE bc_bookings SET status = v_next, updated_at = p_now WHERE show_id = p_show AND id = p_booking
        RETURNING * INTO b;
    DELETE FROM bc_seat_claims WHERE show_id = p_show AND seat = ANY (b.seats) AND booking_id = p_booking;
    IF v_next = 'refunded' THEN
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'booking_refunded',
            'booking', p_booking, 'seats', to_jsonb(b.seats), 'total', (b.quote -> 'total')::jsonb));
    ELSE
        PERFORM bc_append(p_show, p_now, jsonb_build_object('type', 'booking_cancelled',
            'booking', p_booking, 'seats', to_jsonb(b.seats), 'from', v_from));
    END IF;
    RETURN b;
END $$;

-- As in 0002, less the tickets.
CREATE OR REPLACE FUNCTION bc_check_in(p_booking bigint, p_seat integer, p_now bigint) RETURNS bc_bookings
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
    UPDATE bc_bookings SET status = v_next, checked_in = checked_in || p_seat, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking RETURNING * INTO b;
    RETURN b;
END $$;

DROP TABLE bc_tickets;
