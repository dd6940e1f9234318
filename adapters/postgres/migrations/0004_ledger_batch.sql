-- Books many locked holds of a hold store in one call, as bc_create_bookings does for the
-- PostgreSQL store's own holds: each in a subtransaction of its own (a refusal undoes only its
-- item), answers in order, one commit for all. The caller sorts the items by show, so that two
-- batches lock shows in the same order. Seats come flat, `p_counts[i]` of them for item i.
CREATE FUNCTION bc_ledger_books(p_show bigint[], p_hold bigint[], p_owner text[], p_counts integer[],
    p_seats integer[], p_quote text[], p_hold_expires bigint[], p_max_expires bigint[], p_now bigint[],
    p_key text[], p_window bigint[], p_promo text[], p_promo_max integer[], p_epoch bigint[],
    p_events jsonb[], p_async boolean)
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
                p_quote[i], p_hold_expires[i], p_max_expires[i], p_now[i], p_key[i], p_window[i],
                p_promo[i], p_promo_max[i], p_epoch[i], p_events[i], false);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        v_at := v_at + p_counts[i];
        RETURN NEXT;
    END LOOP;
    IF p_async THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
END $$;

-- Confirms bookings of a hold store, each after appending the hold events its show had queued
-- (so that they come before the confirmation in the log, as a bc_ledger_flush first would put
-- them), in one call whose one commit waits for the WAL flush, as every confirmation does. A
-- refused item undoes its append too: the events stay queued on the hold store.
CREATE FUNCTION bc_ledger_confirms(p_booking bigint[], p_actor text[], p_now bigint[],
    p_payment_ref text[], p_key text[], p_events jsonb[])
RETURNS TABLE (o_index integer, o_row bc_bookings, o_error text, o_detail text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..coalesce(array_length(p_booking, 1), 0) LOOP
        o_index := i;
        o_row := NULL;
        o_error := NULL;
        o_detail := NULL;
        BEGIN
            PERFORM bc_ledger_flush(p_booking[i] >> 24, p_events[i]);
            o_row := bc_confirm_booking(p_booking[i], p_actor[i], p_now[i], p_payment_ref[i], p_key[i]);
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
