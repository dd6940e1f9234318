-- The durable half of a hybrid store (booking-redis, `PgStore::ledger_*`): holds live on Redis,
-- and PostgreSQL keeps the log, the bookings and the sold seats, and stays the final arbiter of
-- every seat.
--
-- Redis numbers each change of a show's holds with a tick (the hold's id within the show and its
-- fencing token). Ticks come from blocks that PostgreSQL hands out, so a Redis that restarts empty
-- goes on above every tick it ever issued. Redis queues the events of holds in a per-show outbox,
-- encoded by core's serde; a flush appends them to bc_events in tick order, exactly once (ticks
-- at or below redis_flushed are skipped), before any other event of that show is appended.

-- Reserves p_block ticks of a show: [o_from, o_to).
CREATE OR REPLACE FUNCTION bc_ledger_ticks(p_show bigint, p_block bigint, OUT o_from bigint, OUT o_to bigint)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bc_show_state SET redis_ticks = redis_ticks + p_block WHERE show_id = p_show
        RETURNING redis_ticks - p_block, redis_ticks INTO o_from, o_to;
    IF NOT FOUND THEN
        PERFORM bc_fail('not_found', jsonb_build_object('entity', 'show', 'id', p_show));
    END IF;
    IF o_to - 1 > bc_leases_max() THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'hold_changes_per_show', 'max', bc_leases_max()));
    END IF;
END $$;

-- Appends the outbox events of a locked show that are not in the log yet, in tick order, in one
-- statement. p_events: [{"tick": n, "at": ms, "kind": {...}}, ...]. Returns the highest tick now
-- in the log.
CREATE OR REPLACE FUNCTION bc_ledger_append(p_show bigint, p_events jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    v_added integer;
    v_last bigint;
BEGIN
    SELECT * INTO s FROM bc_show_state WHERE show_id = p_show;
    INSERT INTO bc_events (show_id, seq, at, kind)
        SELECT p_show, s.next_seq - 1 + row_number() OVER (ORDER BY (x ->> 'tick')::bigint),
               (x ->> 'at')::bigint, (x -> 'kind')::json
        FROM jsonb_array_elements(coalesce(p_events, '[]')) x
        WHERE (x ->> 'tick')::bigint > s.redis_flushed;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    IF v_added = 0 THEN
        RETURN s.redis_flushed;
    END IF;
    SELECT max((x ->> 'tick')::bigint) INTO v_last FROM jsonb_array_elements(p_events) x;
    UPDATE bc_show_state SET next_seq = next_seq + v_added, redis_flushed = v_last WHERE show_id = p_show;
    RETURN v_last;
END $$;

CREATE OR REPLACE FUNCTION bc_ledger_flush(p_show bigint, p_events jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bc_take_show(p_show, 'show', p_show, 0, 0);
    RETURN bc_ledger_append(p_show, p_events);
END $$;

-- Seeds Redis: locks the show (the caller's transaction stays open until Redis is seeded, so no
-- booking of this show changes meanwhile), ends in the log the holds Redis lost, starts a new
-- epoch, hands out a first block of ticks and returns what Redis must know: status, seats,
-- blocked seats and the seats of live bookings.
CREATE OR REPLACE FUNCTION bc_ledger_seed(p_show bigint, p_block bigint, p_now bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    s bc_show_state;
    h record;
    v_ends bigint;
    v_at bigint;
BEGIN
    s := bc_take_show(p_show, 'show', p_show, 0, 0);
    -- A reader may seed without knowing the time: the log's last instant keeps it in order.
    v_at := greatest(p_now, coalesce((SELECT at FROM bc_events WHERE show_id = p_show
        ORDER BY seq DESC LIMIT 1), p_now));
    -- The holds the log shows as placed and never ended: Redis has lost them (an anti-join over
    -- the show's log: seeding is rare, and the show is locked meanwhile).
    FOR h IN
        SELECT (p.kind ->> 'hold')::bigint AS hold_id,
               ARRAY(SELECT x::integer FROM json_array_elements_text(p.kind -> 'seats') x) AS seats
        FROM bc_events p
        WHERE p.show_id = p_show AND p.kind ->> 'type' = 'hold_placed'
          AND NOT EXISTS (SELECT 1 FROM bc_events e WHERE e.show_id = p_show
                AND e.kind ->> 'type' IN ('hold_released', 'hold_expired', 'booking_created')
                AND e.kind ->> 'hold' = p.kind ->> 'hold')
        ORDER BY p.seq
    LOOP
        PERFORM bc_append(p_show, v_at, bc_ev_hold_expired(h.hold_id, h.seats));
    END LOOP;
    UPDATE bc_show_state SET redis_epoch = redis_epoch + 1, redis_ticks = redis_ticks + p_block,
        redis_flushed = redis_ticks - 1
        WHERE show_id = p_show RETURNING * INTO s;
    IF s.redis_ticks - 1 > bc_leases_max() THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'hold_changes_per_show', 'max', bc_leases_max()));
    END IF;
    SELECT ends_at INTO v_ends FROM bc_shows WHERE id = p_show;
    RETURN jsonb_build_object('status', s.status, 'seat_count', s.seat_count, 'blocked', to_jsonb(s.blocked),
        'ends_at', v_ends, 'epoch', s.redis_epoch, 'tick_from', s.redis_ticks - p_block,
        'tick_to', s.redis_ticks,
        'claims', coalesce((SELECT jsonb_agg(jsonb_build_array(c.seat, c.booking_id, c.until))
            FROM bc_seat_claims c
            WHERE c.show_id = p_show AND c.booking_id IS NOT NULL AND bc_live(c.until, p_now)), '[]'),
        'owners', coalesce((SELECT jsonb_agg(jsonb_build_array(b.id, b.owner)) FROM bc_bookings b
            WHERE b.show_id = p_show AND b.id IN (SELECT c.booking_id FROM bc_seat_claims c
                WHERE c.show_id = p_show AND c.booking_id IS NOT NULL AND bc_live(c.until, p_now))), '[]'));
END $$;

-- Turns a hold that Redis has checked and locked (p_epoch is the seeding it belongs to) into a
-- pending booking with the payment deadline the caller computed (Hold::deadline_of): appends the
-- outbox first, then claims every seat or fails. The claim is the arbiter: a seat that a booking
-- of PostgreSQL holds is never booked again, whatever Redis said.
--
-- One write of the show's row: the show is locked with SELECT ... FOR UPDATE, and its lease,
-- event numbers and flushed tick are advanced by one UPDATE at the end, after the queued hold
-- events and the booking's own event went in with two INSERTs (bc_take_show, bc_ledger_append
-- and bc_append would each write the row: a third of a booking's time in a rush).
CREATE OR REPLACE FUNCTION bc_ledger_book(p_show bigint, p_hold bigint, p_owner text, p_seats integer[],
    p_quote text, p_deadline bigint, p_now bigint, p_key text, p_promo text, p_promo_max integer,
    p_epoch bigint, p_events jsonb, p_async boolean) RETURNS bc_bookings
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
    SELECT * INTO k FROM bc_idempotency WHERE show_id = p_show AND key = p_key AND owner = p_owner;
    IF FOUND THEN
        IF k.kind <> 'create' OR k.hold_id <> p_hold THEN
            PERFORM bc_fail('idempotency_conflict', '{}');
        END IF;
        PERFORM bc_ledger_append(p_show, p_events);
        RETURN bc_owned_booking(p_show, k.booking_id, p_owner);
    END IF;
    s.next_lease := bc_lease_floor(s);
    IF s.next_lease > bc_leases_max() THEN
        PERFORM bc_fail('limit_exceeded', jsonb_build_object('limit', 'leases_per_show', 'max', bc_leases_max()));
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
    b := (p_show, bc_lease_id(p_show, s.next_lease), p_owner, p_hold, p_seats, p_quote::json, 'pending',
        p_now, p_deadline, NULL, p_now, '{}');
    INSERT INTO bc_seat_claims AS c (show_id, seat, hold_id, booking_id, until)
        SELECT p_show, x, NULL, b.id, b.payment_deadline FROM unnest(p_seats) x
        ON CONFLICT (show_id, seat) DO UPDATE
            SET hold_id = NULL, booking_id = EXCLUDED.booking_id, until = EXCLUDED.until
            WHERE NOT bc_live(c.until, p_now);
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    IF v_taken <> cardinality(p_seats) THEN
        PERFORM bc_fail('seat_unavailable', jsonb_build_object('seats', (SELECT coalesce(jsonb_agg(c.seat), '[]')
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
        bc_ev_booking_created(b.id, p_hold, p_owner, p_seats, b.payment_deadline, b.quote -> 'total'));
    UPDATE bc_show_state SET next_lease = s.next_lease + 1, next_seq = next_seq + v_added + 1,
        redis_flushed = v_last, lease_server = pg_postmaster_start_time() WHERE show_id = p_show;
    s.next_lease := s.next_lease + 1;
    PERFORM bc_reserve_leases(s);
    INSERT INTO bc_bookings VALUES (b.*);
    INSERT INTO bc_idempotency (show_id, key, owner, kind, hold_id, booking_id)
        VALUES (p_show, p_key, p_owner, 'create', p_hold, b.id);
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
    RETURN b;
END $$;

-- Cancels a show whose holds Redis has already released (their events in p_events), as
-- bc_cancel_show does (p_cancel_from -> p_cancel_to: the cancel action's edges).
CREATE OR REPLACE FUNCTION bc_ledger_cancel_show(p_show bigint, p_now bigint, p_events jsonb,
    p_cancel_from text[], p_cancel_to text[]) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bc_take_show(p_show, 'show', p_show, 0, 0);
    PERFORM bc_ledger_append(p_show, p_events);
    RETURN bc_cancel_show(p_show, p_now, p_cancel_from, p_cancel_to);
END $$;

-- Books many locked holds of a hold store in one call, as bc_create_bookings does for the
-- PostgreSQL store's own holds: each in a subtransaction of its own (a refusal undoes only its
-- item), answers in order, one commit for all. The caller sorts the items by show, so that two
-- batches lock shows in the same order. Seats come flat, `p_counts[i]` of them for item i.
CREATE OR REPLACE FUNCTION bc_ledger_books(p_show bigint[], p_hold bigint[], p_owner text[],
    p_counts integer[], p_seats integer[], p_quote text[], p_deadline bigint[], p_now bigint[],
    p_key text[], p_promo text[], p_promo_max integer[], p_epoch bigint[], p_events jsonb[],
    p_async boolean)
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
DECLARE
    v_at integer := 1;
BEGIN
    FOR i IN 1..coalesce(array_length(p_hold, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            o_row := bc_ledger_book(p_show[i], p_hold[i], p_owner[i], p_seats[v_at:v_at + p_counts[i] - 1],
                p_quote[i], p_deadline[i], p_now[i], p_key[i], p_promo[i], p_promo_max[i], p_epoch[i],
                p_events[i], false);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        v_at := v_at + p_counts[i];
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
END $$;

-- Confirms bookings of a hold store, each after appending the hold events its show had queued
-- (so that they come before the confirmation in the log, as a bc_ledger_flush first would put
-- them; nothing is appended for a show with none queued), in one call whose one commit waits for
-- the WAL flush, as every confirmation does. A refused item undoes its append too: the events
-- stay queued on the hold store. Each answer carries the seeding of Redis the show is at
-- (o_epoch, read under the show's lock): the hold store compares it with the seeding its mark of
-- the seats as sold was made on, and when they are the same the mark stands and Redis needs no
-- second call.
CREATE OR REPLACE FUNCTION bc_ledger_confirms(p_booking bigint[], p_actor text[], p_now bigint[],
    p_payment_ref text[], p_key text[], p_events jsonb[], p_from text[], p_to text[])
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text, o_epoch bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_show bigint;
BEGIN
    FOR i IN 1..coalesce(array_length(p_booking, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        o_epoch := NULL;
        v_show := bc_show_of(p_booking[i]);
        BEGIN
            IF jsonb_array_length(coalesce(p_events[i], '[]')) > 0 THEN
                PERFORM bc_ledger_flush(v_show, p_events[i]);
            END IF;
            o_row := bc_confirm_booking(p_booking[i], p_actor[i], p_now[i], p_payment_ref[i], p_key[i],
                p_from, p_to);
            SELECT redis_epoch INTO o_epoch FROM bc_show_state WHERE show_id = v_show;
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
