-- Shows: the lock every operation of a show takes first, scheduling and cancelling.
--
-- Every seat-changing operation is one function, called in one statement, so it is one atomic
-- step with one round trip. Each first locks its show's row in bc_show_state (one lock per
-- call, always the same kind, so calls never deadlock) with the same UPDATE that reserves the ids
-- and event numbers it will use, then checks, then writes. Holds and bookings come back as rows
-- of their tables (no JSON is built for them). Operations on leases take p_async: when true,
-- their commit does not wait for the WAL flush (synchronous_commit off for that transaction
-- only), see the crate README. p_actor is the owner who asks, or NULL for staff (no ownership
-- check).

-- Where a show's next id starts in this transaction. Ids of leases committed without waiting
-- for the WAL flush (p_async) may be forgotten by a crash of the server, and handed out again
-- afterwards to someone else: a customer who was told "hold-7" would then act on another's
-- hold-7. So every id handed out is below `lease_reserved`, which only a transaction that
-- waits for the flush raises (bc_reserve_leases), and the first operation of a show after the
-- server started (`lease_server` is not its start time) goes on from there.
CREATE OR REPLACE FUNCTION bc_lease_floor(s bc_show_state) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN s.lease_server IS DISTINCT FROM pg_postmaster_start_time()
                THEN greatest(s.next_lease, s.lease_reserved) ELSE s.next_lease END
$$;

-- Keeps every id handed out (those below s.next_lease) under `lease_reserved`: when one is not,
-- reserves the next 1,024 and makes this transaction wait for the WAL flush (bc_commit_async
-- then leaves it so), so no id is acknowledged before its reservation is durable.
CREATE OR REPLACE FUNCTION bc_reserve_leases(s bc_show_state) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF s.next_lease > s.lease_reserved THEN
        UPDATE bc_show_state SET lease_reserved = s.next_lease + 1024 WHERE show_id = s.show_id;
        PERFORM set_config('bc.durable', 'on', true);
    END IF;
END $$;

-- Lets this transaction commit without waiting for the WAL flush (an operation on leases with
-- p_async), unless it reserved ids (bc_reserve_leases).
CREATE OR REPLACE FUNCTION bc_commit_async() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('bc.durable', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

-- Locks the show of an operation and reserves p_leases ids and p_events event numbers: they are
-- the ones just below the returned next_lease and next_seq. A missing show is reported as the
-- missing `p_entity`.
CREATE OR REPLACE FUNCTION bc_take_show(p_show bigint, p_entity text, p_id bigint, p_leases integer,
    p_events integer) RETURNS bc_show_state
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
BEGIN
    UPDATE bc_show_state st SET next_lease = bc_lease_floor(st) + p_leases, next_seq = next_seq + p_events,
        lease_server = pg_postmaster_start_time()
        WHERE show_id = p_show RETURNING * INTO s;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', p_entity, 'id', p_id));
    END IF;
    IF s.next_lease - 1 > bc_leases_max() THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'leases_per_show', 'max', bc_leases_max()));
    END IF;
    IF p_leases > 0 THEN
        PERFORM bc_reserve_leases(s);
    END IF;
    RETURN s;
END $$;

CREATE OR REPLACE FUNCTION bc_schedule_show(p_screen bigint, p_theatre bigint, p_starts bigint,
    p_ends bigint, p_seat_count integer, p_blocked integer[], p_data jsonb, p_now bigint) RETURNS bigint
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
    PERFORM bc_append(v_id, p_now, bc_ev_show_scheduled());
    RETURN v_id;
END $$;

-- Cancels a show: releases its holds, stores as expired its pending bookings past their deadline,
-- cancels the bookings the cancel action may leave (p_cancel_from -> p_cancel_to: its edges, as
-- core's state machine gives them, see bc_transition) and leaves the others as they are.
CREATE OR REPLACE FUNCTION bc_cancel_show(p_show bigint, p_now bigint, p_cancel_from text[],
    p_cancel_to text[]) RETURNS jsonb
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
        PERFORM bc_append(p_show, p_now, bc_ev_hold_released(h.id, h.seats));
        v_holds := v_holds || h.id;
    END LOOP;
    FOR b IN SELECT * FROM bc_bookings WHERE show_id = p_show ORDER BY id LOOP
        v_status := bc_status_at(b.status, b.payment_deadline, p_now);
        IF v_status <> b.status THEN
            PERFORM bc_expire_booking(b, p_now);
        ELSIF v_status = ANY (p_cancel_from) THEN
            PERFORM bc_end_locked(p_show, b.id, NULL, p_now, 'cancel', p_cancel_from, p_cancel_to);
            v_bookings := v_bookings || b.id;
        END IF;
    END LOOP;
    PERFORM bc_append(p_show, p_now, bc_ev_show_cancelled());
    UPDATE bc_show_state SET status = 'cancelled' WHERE show_id = p_show;
    RETURN jsonb_build_object('holds', to_jsonb(v_holds), 'bookings', to_jsonb(v_bookings));
END $$;
