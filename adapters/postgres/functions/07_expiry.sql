-- Expiry. An expired hold or a pending booking past its deadline blocks nothing the instant it
-- ends (its claims end with it, bc_live); the sweep only tidies up and appends the events.

-- Stores as expired a pending booking of a locked show that reads as expired at p_now
-- (bc_status_at), and frees its seats.
CREATE OR REPLACE FUNCTION bc_expire_booking(b bc_bookings, p_now bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bc_bookings SET status = bc_status_at(b.status, b.payment_deadline, p_now), updated_at = p_now
        WHERE show_id = b.show_id AND id = b.id;
    PERFORM bc_unclaim(b.show_id, b.seats, NULL, b.id);
    PERFORM bc_append(b.show_id, p_now, bc_ev_booking_expired(b.id, b.seats));
END $$;

-- Releases expired holds and expires overdue bookings of one show, at most p_limit of each. The
-- bookings' condition is bc_status_at written out so that the partial index bc_bookings_pending
-- serves it; tests/rules.rs holds what a sweep ends to core's definitions.
CREATE OR REPLACE FUNCTION bc_sweep_show(p_show bigint, p_now bigint, p_limit integer,
    OUT o_holds integer, OUT o_bookings integer)
LANGUAGE plpgsql AS $$
DECLARE
    h bc_holds;
    b bc_bookings;
BEGIN
    PERFORM bc_take_show(p_show, 'show', p_show, 0, 0);
    o_holds := 0;
    o_bookings := 0;
    FOR h IN SELECT * FROM bc_holds WHERE show_id = p_show AND NOT bc_live(expires_at, p_now)
            ORDER BY id LIMIT p_limit LOOP
        PERFORM bc_unclaim(p_show, h.seats, h.id, NULL);
        DELETE FROM bc_holds WHERE show_id = p_show AND id = h.id;
        PERFORM bc_append(p_show, p_now, bc_ev_hold_expired(h.id, h.seats));
        o_holds := o_holds + 1;
    END LOOP;
    FOR b IN SELECT * FROM bc_bookings WHERE show_id = p_show AND status = 'pending'
            AND NOT bc_live(payment_deadline, p_now) ORDER BY id LIMIT p_limit LOOP
        PERFORM bc_expire_booking(b, p_now);
        o_bookings := o_bookings + 1;
    END LOOP;
END $$;
