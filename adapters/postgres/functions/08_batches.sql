-- Batches: many holds placed or released, bookings created or confirmed, in one call and one
-- transaction, each item in its own subtransaction, so that one refusal leaves the others alone.
-- The store's batcher collects the requests that arrive while a call is in flight and sends them
-- sorted by show, so that two batches always lock shows in the same order and never deadlock. A
-- refused item comes back with its refusal code and details instead of a row. Seats come flat,
-- `p_counts[i]` of them for item i.

CREATE OR REPLACE FUNCTION bc_place_holds(p_show bigint[], p_owner text[], p_counts integer[],
    p_seats integer[], p_now bigint[], p_expires bigint[], p_max_expires bigint[], p_owner_max integer[],
    p_tickets_max integer[], p_quote text[], p_free_counts integer[], p_free integer[], p_taken_counts integer[],
    p_taken integer[], p_async boolean)
RETURNS TABLE (o_index integer, o_hold bigint, o_fence bigint, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
DECLARE
    v_from integer := 1;
    v_free integer := 1;
    v_taken integer := 1;
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
                p_owner_max[i], p_tickets_max[i], p_quote[i], coalesce(p_free[v_free:v_free + p_free_counts[i] - 1], '{}'),
                coalesce(p_taken[v_taken:v_taken + p_taken_counts[i] - 1], '{}'), false) h;
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        v_from := v_from + p_counts[i];
        v_free := v_free + p_free_counts[i];
        v_taken := v_taken + p_taken_counts[i];
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM bc_commit_async();
    END IF;
END $$;

CREATE OR REPLACE FUNCTION bc_release_holds(p_hold bigint[], p_actor text[], p_now bigint[],
    p_fence bigint[], p_async boolean)
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
        PERFORM bc_commit_async();
    END IF;
END $$;

CREATE OR REPLACE FUNCTION bc_create_bookings(p_hold bigint[], p_actor text[], p_now bigint[],
    p_key text[], p_window bigint[], p_fence bigint[], p_promo text[], p_promo_max integer[],
    p_async boolean)
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
        PERFORM bc_commit_async();
    END IF;
END $$;

-- Confirmations always wait for the WAL flush; a batch shares one flush among its items. Every
-- item is a confirmation: one set of edges (p_from -> p_to) serves them all.
CREATE OR REPLACE FUNCTION bc_confirm_bookings(p_booking bigint[], p_actor text[], p_now bigint[],
    p_payment_ref text[], p_key text[], p_from text[], p_to text[])
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..coalesce(array_length(p_booking, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            o_row := bc_confirm_booking(p_booking[i], p_actor[i], p_now[i], p_payment_ref[i], p_key[i],
                p_from, p_to);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
