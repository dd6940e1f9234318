-- bc_ledger_book with one write of the show's row instead of three: the show is locked with
-- SELECT ... FOR UPDATE, and its lease, event numbers and flushed tick are advanced by one UPDATE
-- at the end, after the queued hold events and the booking's own event went in with two INSERTs
-- (bc_take_show, bc_ledger_append and bc_append each wrote the row before: 3 of the 5 statements
-- a booking spent on it, and a third of its time in a rush). Same signature, same answers.
CREATE OR REPLACE FUNCTION bc_ledger_book(p_show bigint, p_hold bigint, p_owner text, p_seats integer[],
    p_quote text, p_hold_expires bigint, p_max_expires bigint, p_now bigint, p_key text,
    p_window bigint, p_promo text, p_promo_max integer, p_epoch bigint, p_events jsonb,
    p_async boolean) RETURNS bc_bookings
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    b bc_bookings;
    k bc_idempotency;
    v_taken integer;
    v_added integer;
    v_last bigint;
BEGIN
    SELECT * INTO s FROM bc_show_state WHERE show_id = p_show FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'hold', 'id', p_hold));
    END IF;
    SELECT * INTO k FROM bc_idempotency WHERE show_id = p_show AND key = p_key;
    IF FOUND THEN
        IF k.kind <> 'create' OR k.hold_id <> p_hold THEN
            PERFORM bc_fail('idempotency_conflict', '{}');
        END IF;
        PERFORM bc_ledger_append(p_show, p_events);
        RETURN bc_owned_booking(p_show, k.booking_id, p_owner);
    END IF;
    IF s.next_lease >= 16777216 THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'leases_per_show', 'max', 16777215));
    END IF;
    IF s.redis_epoch <> p_epoch THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'hold', 'id', p_hold));
    END IF;
    IF s.status <> 'scheduled' THEN
        PERFORM bc_fail('show_cancelled', jsonb_build_object('show', p_show));
    END IF;
    IF p_promo IS NOT NULL AND coalesce((SELECT uses FROM bc_promo_uses
            WHERE show_id = p_show AND code = p_promo), 0) >= p_promo_max THEN
        PERFORM bc_fail('promo_exhausted', jsonb_build_object('code', p_promo));
    END IF;
    b := (p_show, p_show * 16777216 + s.next_lease, p_owner, p_hold, p_seats, p_quote::json, 'pending',
        p_now, greatest(p_hold_expires, least(p_now + p_window, p_max_expires)), NULL, p_now, '{}');
    INSERT INTO bc_seat_claims AS c (show_id, seat, hold_id, booking_id, until)
        SELECT p_show, x, NULL, b.id, b.payment_deadline FROM unnest(p_seats) x
        ON CONFLICT (show_id, seat) DO UPDATE
            SET hold_id = NULL, booking_id = EXCLUDED.booking_id, until = EXCLUDED.until
            WHERE c.until <= p_now;
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    IF v_taken <> cardinality(p_seats) THEN
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', (SELECT jsonb_agg(c.seat)
            FROM bc_seat_claims c WHERE c.show_id = p_show AND c.seat = ANY (p_seats)
              AND c.booking_id IS DISTINCT FROM b.id)));
    END IF;
    IF p_promo IS NOT NULL THEN
        INSERT INTO bc_promo_uses AS u (show_id, code, uses) VALUES (p_show, p_promo, 1)
            ON CONFLICT (show_id, code) DO UPDATE SET uses = u.uses + 1;
    END IF;
    -- The queued hold events the log lacks, in tick order, then the booking's own.
    INSERT INTO bc_events (show_id, seq, at, kind)
        SELECT p_show, s.next_seq - 1 + row_number() OVER (ORDER BY (x ->> 'tick')::bigint),
               (x ->> 'at')::bigint, (x -> 'kind')::json
        FROM jsonb_array_elements(coalesce(p_events, '[]')) x
        WHERE (x ->> 'tick')::bigint > s.redis_flushed;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    v_last := s.redis_flushed;
    IF v_added > 0 THEN
        SELECT max((x ->> 'tick')::bigint) INTO v_last FROM jsonb_array_elements(p_events) x;
    END IF;
    INSERT INTO bc_events (show_id, seq, at, kind) VALUES (p_show, s.next_seq + v_added, p_now,
        json_build_object('type', 'booking_created', 'booking', b.id, 'hold', p_hold, 'owner', p_owner,
            'seats', to_json(p_seats), 'payment_deadline', b.payment_deadline, 'total', b.quote -> 'total'));
    UPDATE bc_show_state SET next_lease = next_lease + 1, next_seq = next_seq + v_added + 1,
        redis_flushed = v_last WHERE show_id = p_show;
    INSERT INTO bc_bookings VALUES (b.*);
    INSERT INTO bc_idempotency (show_id, key, kind, hold_id, booking_id)
        VALUES (p_show, p_key, 'create', p_hold, b.id);
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    RETURN b;
END $$;
