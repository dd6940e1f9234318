-- Events: one constructor per kind of the core's EventKind, each building exactly the JSON that
-- core's serde writes for it (`{"type": "<snake_case kind>", <fields in declaration order>}`), and
-- every event this schema appends is built by one of them. tests/events.rs holds each to core's
-- serde form, field by field. Events a hybrid store queued on Redis come already encoded by
-- core's serde (`bc_ledger_append`).
--
-- SQL functions the planner inlines into the statement that calls them: no call overhead.
-- Seats are integer[] and come out as a JSON array; a total is the quote's `total` as the core
-- wrote it.

CREATE OR REPLACE FUNCTION bc_ev_show_scheduled() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'show_scheduled')
$$;

CREATE OR REPLACE FUNCTION bc_ev_show_cancelled() RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'show_cancelled')
$$;

CREATE OR REPLACE FUNCTION bc_ev_hold_placed(p_hold bigint, p_owner text, p_seats integer[],
    p_expires_at bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'hold_placed', 'hold', p_hold, 'owner', p_owner, 'seats', p_seats,
        'expires_at', p_expires_at)
$$;

CREATE OR REPLACE FUNCTION bc_ev_hold_extended(p_hold bigint, p_expires_at bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'hold_extended', 'hold', p_hold, 'expires_at', p_expires_at)
$$;

CREATE OR REPLACE FUNCTION bc_ev_hold_released(p_hold bigint, p_seats integer[]) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'hold_released', 'hold', p_hold, 'seats', p_seats)
$$;

CREATE OR REPLACE FUNCTION bc_ev_hold_expired(p_hold bigint, p_seats integer[]) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'hold_expired', 'hold', p_hold, 'seats', p_seats)
$$;

CREATE OR REPLACE FUNCTION bc_ev_booking_created(p_booking bigint, p_hold bigint, p_owner text,
    p_seats integer[], p_payment_deadline bigint, p_total json) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'booking_created', 'booking', p_booking, 'hold', p_hold,
        'owner', p_owner, 'seats', p_seats, 'payment_deadline', p_payment_deadline, 'total', p_total)
$$;

CREATE OR REPLACE FUNCTION bc_ev_booking_confirmed(p_booking bigint, p_seats integer[], p_payment_ref text,
    p_total json)
RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'booking_confirmed', 'booking', p_booking, 'seats', p_seats,
        'payment_ref', p_payment_ref, 'total', p_total)
$$;

CREATE OR REPLACE FUNCTION bc_ev_booking_expired(p_booking bigint, p_seats integer[]) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'booking_expired', 'booking', p_booking, 'seats', p_seats)
$$;

CREATE OR REPLACE FUNCTION bc_ev_booking_cancelled(p_booking bigint, p_seats integer[], p_from text)
RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'booking_cancelled', 'booking', p_booking, 'seats', p_seats,
        'from', p_from)
$$;

CREATE OR REPLACE FUNCTION bc_ev_booking_refunded(p_booking bigint, p_seats integer[], p_total json)
RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'booking_refunded', 'booking', p_booking, 'seats', p_seats,
        'total', p_total)
$$;

CREATE OR REPLACE FUNCTION bc_ev_ticket_checked_in(p_booking bigint, p_seat integer) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('type', 'ticket_checked_in', 'booking', p_booking, 'seat', p_seat)
$$;

-- Appends an event to a locked show's log; returns its sequence number. The hot operations
-- reserve their event number with the show's lock (`bc_take_show`) and insert the row themselves,
-- one write of the show's row fewer.
CREATE OR REPLACE FUNCTION bc_append(p_show bigint, p_at bigint, p_kind json) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_seq bigint;
BEGIN
    UPDATE bc_show_state SET next_seq = next_seq + 1 WHERE show_id = p_show RETURNING next_seq - 1 INTO v_seq;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (p_show, v_seq, p_at, p_kind);
    RETURN v_seq;
END $$;
