-- The rules of the core that a call must apply inside its one atomic step, to values only the
-- database has at that instant (a hold's current expiry, a booking's stored status and deadline).
-- Each is a copy of one definition in core, named beside it, and tests/rules.rs feeds both the
-- same cases and fails on any difference. Where Rust can compute a rule's answer before the
-- call, it passes the answer instead (a transition's edges, a hybrid booking's deadline), and
-- nothing here copies it.

-- Whether a lease that lasts until p_until is live at p_now: Hold::is_live (now < expires_at).
-- A seat's claim, by a hold or a pending booking, blocks the seat while it is live, and ended
-- claims are free without any sweep.
CREATE OR REPLACE FUNCTION bc_live(p_until bigint, p_now bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_now < p_until
$$;

-- The status at p_now of a booking stored as p_status with deadline p_deadline:
-- Booking::status_at (a pending booking past its deadline reads as expired, whether or not a
-- sweep has stored it). Scalars, not the row: a row variable passed whole is copied each call.
CREATE OR REPLACE FUNCTION bc_status_at(p_status text, p_deadline bigint, p_now bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_status = 'pending' AND NOT bc_live(p_deadline, p_now) THEN 'expired'
        ELSE p_status END
$$;

-- p_t plus p_ms milliseconds, saturating at the ends of bigint: Timestamp::plus_millis.
CREATE OR REPLACE FUNCTION bc_plus_millis(p_t bigint, p_ms bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_ms > 0 AND p_t > 9223372036854775807 - p_ms THEN 9223372036854775807
        WHEN p_ms < 0 AND p_t < (-9223372036854775807 - 1) - p_ms THEN -9223372036854775807 - 1
        ELSE p_t + p_ms
    END
$$;

-- The payment deadline of a booking made at p_now from a hold: Hold::deadline_of,
-- max(expires_at, min(now + window, max_expires_at)).
CREATE OR REPLACE FUNCTION bc_payment_deadline(p_expires bigint, p_max_expires bigint, p_now bigint,
    p_window bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(p_expires, least(bc_plus_millis(p_now, p_window), p_max_expires))
$$;

-- A booking transition. The state machine is core's alone (BookingStatus::apply): the caller
-- passes the edges of p_action, p_from[i] -> p_to[i] (the states BookingAction::allowed_from
-- gives and where apply takes each), and this only looks the stored state up among them.
CREATE OR REPLACE FUNCTION bc_transition(p_status text, p_action text, p_from text[], p_to text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_edge integer := array_position(p_from, p_status);
BEGIN
    IF v_edge IS NULL THEN
        PERFORM bc_fail('invalid_transition', jsonb_build_object('from', p_status, 'action', p_action));
    END IF;
    RETURN p_to[v_edge];
END $$;
