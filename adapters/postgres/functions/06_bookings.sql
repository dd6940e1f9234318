-- Bookings: create from a hold, confirm, cancel or refund, check in. Every change of a booking's
-- status goes through bc_transition with the edges of its action, which the caller takes from
-- core's state machine (p_from -> p_to); the status a booking is changed from is its status at
-- p_now (bc_status_at).

-- A booking the actor may act on, from a locked show.
CREATE OR REPLACE FUNCTION bc_owned_booking(p_show bigint, p_booking bigint, p_actor text)
RETURNS bc_bookings
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

-- What an earlier create with p_key did, for a create of p_hold: the row (booking_id NULL when the
-- key is new to the hold's owner). Keys are per owner: the owner is the hold's, or, once the hold
-- is booked, the owner the key was recorded for with this hold. A key the owner used for another
-- request is a conflict; an actor who is not the owner is refused before anything about the key
-- is said. The common case, a key nobody used on the show, costs one index probe.
CREATE OR REPLACE FUNCTION bc_create_key(p_show bigint, p_hold bigint, p_actor text, p_key text)
RETURNS bc_idempotency
LANGUAGE plpgsql AS $$
DECLARE
    k bc_idempotency;
    v_owner text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM bc_idempotency WHERE show_id = p_show AND key = p_key) THEN
        RETURN k;
    END IF;
    v_owner := coalesce((SELECT owner FROM bc_holds WHERE show_id = p_show AND id = p_hold),
        (SELECT owner FROM bc_idempotency WHERE show_id = p_show AND key = p_key AND hold_id = p_hold));
    IF v_owner IS NULL THEN
        RETURN k;
    END IF;
    IF p_actor IS NOT NULL AND p_actor <> v_owner THEN
        PERFORM bc_fail('not_owner', jsonb_build_object('hold', p_hold));
    END IF;
    SELECT * INTO k FROM bc_idempotency WHERE show_id = p_show AND key = p_key AND owner = v_owner;
    IF FOUND AND (k.kind <> 'create' OR k.hold_id <> p_hold) THEN
        PERFORM bc_fail('idempotency_conflict', '{}');
    END IF;
    RETURN k;
END $$;

-- Turns a live hold into a pending booking whose claims last until its payment deadline. A
-- promo code capped at p_promo_max redemptions (the engine's pricing decides the cap) is counted.
CREATE OR REPLACE FUNCTION bc_create_booking(p_hold bigint, p_actor text, p_now bigint, p_key text,
    p_window bigint, p_fence bigint, p_promo text, p_promo_max integer, p_async boolean) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := bc_show_of(p_hold);
    s bc_show_state;
    h bc_holds;
    b bc_bookings;
    k bc_idempotency;
BEGIN
    s := bc_take_show(v_show, 'hold', p_hold, 1, 1);
    k := bc_create_key(v_show, p_hold, p_actor, p_key);
    IF k.booking_id IS NOT NULL THEN
        SELECT * INTO b FROM bc_bookings WHERE show_id = v_show AND id = k.booking_id;
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
    b.id := bc_lease_id(v_show, s.next_lease - 1);
    b.owner := h.owner;
    b.hold_id := p_hold;
    b.seats := h.seats;
    b.quote := h.quote;
    b.status := 'pending';
    b.created_at := p_now;
    b.payment_deadline := bc_payment_deadline(h.expires_at, h.max_expires_at, p_now, p_window);
    b.updated_at := p_now;
    b.checked_in := '{}';
    UPDATE bc_seat_claims SET hold_id = NULL, booking_id = b.id, until = b.payment_deadline
        WHERE show_id = v_show AND seat = ANY (h.seats) AND hold_id = p_hold;
    IF p_promo IS NOT NULL THEN
        INSERT INTO bc_promo_uses AS u (show_id, code, uses) VALUES (v_show, p_promo, 1)
            ON CONFLICT (show_id, code) DO UPDATE SET uses = u.uses + 1;
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        bc_ev_booking_created(b.id, p_hold, h.owner, h.seats, b.payment_deadline, h.quote -> 'total'));
    DELETE FROM bc_holds WHERE show_id = v_show AND id = p_hold;
    INSERT INTO bc_bookings VALUES (b.*);
    INSERT INTO bc_idempotency (show_id, key, owner, kind, hold_id, booking_id)
        VALUES (v_show, p_key, h.owner, 'create', p_hold, b.id);
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
    RETURN b;
END $$;

-- Confirms a booking (p_from -> p_to: the confirm action's edges). Its claims become permanent
-- (until = i64::MAX: the seat's ticket); a claim that is not the booking's any more (taken by a
-- lease whose clock had passed the deadline) refuses the payment instead of selling the seat
-- without it.
CREATE OR REPLACE FUNCTION bc_confirm_booking(p_booking bigint, p_actor text, p_now bigint,
    p_payment_ref text, p_key text, p_from text[], p_to text[]) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := bc_show_of(p_booking);
    s bc_show_state;
    b bc_bookings;
    k bc_idempotency;
    v_sold integer;
    v_lost integer[];
BEGIN
    s := bc_take_show(v_show, 'booking', p_booking, 0, 1);
    b := bc_owned_booking(v_show, p_booking, p_actor);
    SELECT * INTO k FROM bc_idempotency WHERE show_id = v_show AND key = p_key AND owner = b.owner;
    IF FOUND THEN
        IF k.kind <> 'confirm' OR k.booking_id <> p_booking THEN
            PERFORM bc_fail('idempotency_conflict', '{}');
        END IF;
        -- A replay changes nothing: give back the event number taken above.
        UPDATE bc_show_state SET next_seq = next_seq - 1 WHERE show_id = v_show;
        RETURN b;
    END IF;
    IF bc_status_at(b.status, b.payment_deadline, p_now) <> b.status THEN
        -- Pending, but past its deadline: too late to pay, as the memory store says it.
        PERFORM bc_fail('hold_expired', jsonb_build_object('booking', p_booking));
    END IF;
    b.status := bc_transition(b.status, 'confirm', p_from, p_to);
    b.payment_ref := p_payment_ref;
    b.updated_at := p_now;
    UPDATE bc_seat_claims SET until = 9223372036854775807
        WHERE show_id = v_show AND seat = ANY (b.seats) AND booking_id = p_booking;
    GET DIAGNOSTICS v_sold = ROW_COUNT;
    IF v_sold <> cardinality(b.seats) THEN
        -- The seats whose claim is not the booking's any more, taken or gone.
        SELECT array_agg(x ORDER BY o) INTO v_lost FROM unnest(b.seats) WITH ORDINALITY AS t(x, o)
            WHERE NOT EXISTS (SELECT 1 FROM bc_seat_claims c
                WHERE c.show_id = v_show AND c.seat = x AND c.booking_id = p_booking);
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', coalesce(to_jsonb(v_lost), '[]')));
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (v_show, s.next_seq - 1, p_now,
        bc_ev_booking_confirmed(p_booking, b.seats, p_payment_ref, b.quote -> 'total'));
    UPDATE bc_bookings SET status = b.status, payment_ref = p_payment_ref, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking;
    INSERT INTO bc_idempotency (show_id, key, owner, kind, booking_id)
        VALUES (v_show, p_key, b.owner, 'confirm', p_booking);
    RETURN b;
END $$;

-- Cancels or refunds (p_action, with its edges p_from -> p_to) a booking of a locked show and
-- frees its seats. The booking ends before its claims go, as the sold-claim guard asks.
CREATE OR REPLACE FUNCTION bc_end_locked(p_show bigint, p_booking bigint, p_actor text, p_now bigint,
    p_action text, p_from text[], p_to text[]) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    b bc_bookings;
    v_from text;
    v_next text;
BEGIN
    b := bc_owned_booking(p_show, p_booking, p_actor);
    v_from := bc_status_at(b.status, b.payment_deadline, p_now);
    v_next := bc_transition(v_from, p_action, p_from, p_to);
    UPDATE bc_bookings SET status = v_next, updated_at = p_now WHERE show_id = p_show AND id = p_booking
        RETURNING * INTO b;
    PERFORM bc_unclaim(p_show, b.seats, NULL, p_booking);
    IF p_action = 'refund' THEN
        PERFORM bc_append(p_show, p_now, bc_ev_booking_refunded(p_booking, b.seats, b.quote -> 'total'));
    ELSE
        PERFORM bc_append(p_show, p_now, bc_ev_booking_cancelled(p_booking, b.seats, v_from));
    END IF;
    RETURN b;
END $$;

CREATE OR REPLACE FUNCTION bc_end_booking(p_booking bigint, p_actor text, p_now bigint, p_action text,
    p_from text[], p_to text[]) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bc_take_show(bc_show_of(p_booking), 'booking', p_booking, 0, 0);
    RETURN bc_end_locked(bc_show_of(p_booking), p_booking, p_actor, p_now, p_action, p_from, p_to);
END $$;

-- Checks in one seat of a booking (p_from -> p_to: the check-in action's edges).
CREATE OR REPLACE FUNCTION bc_check_in(p_booking bigint, p_seat integer, p_now bigint, p_from text[],
    p_to text[]) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint := bc_show_of(p_booking);
    b bc_bookings;
    v_next text;
BEGIN
    PERFORM bc_take_show(v_show, 'booking', p_booking, 0, 0);
    b := bc_owned_booking(v_show, p_booking, NULL);
    v_next := bc_transition(bc_status_at(b.status, b.payment_deadline, p_now), 'check_in', p_from, p_to);
    IF NOT (p_seat = ANY (b.seats)) THEN
        -- Worded as the memory store words it (BookingId's display is `booking-<n>`).
        PERFORM bc_fail('invalid_request', jsonb_build_object('field', 'seat',
            'reason', format('seat index %s is not part of booking-%s', p_seat, p_booking)));
    END IF;
    IF p_seat = ANY (b.checked_in) THEN
        PERFORM bc_fail('already_checked_in', jsonb_build_object('booking', p_booking, 'seat', p_seat));
    END IF;
    PERFORM bc_append(v_show, p_now, bc_ev_ticket_checked_in(p_booking, p_seat));
    UPDATE bc_bookings SET status = v_next, checked_in = checked_in || p_seat, updated_at = p_now
        WHERE show_id = v_show AND id = p_booking RETURNING * INTO b;
    RETURN b;
END $$;
