-- bc_ledger_confirms answers, with each confirmation, the seeding of Redis the show is at
-- (o_epoch, read under the show's lock), and appends nothing when a show had no events queued.
-- The hold store compares it with the seeding its mark of the seats as sold was made on: the
-- same one means no seeding came between, the mark stands, and Redis needs no second call.
DROP FUNCTION bc_ledger_confirms(bigint[], text[], bigint[], text[], text[], jsonb[]);

CREATE FUNCTION bc_ledger_confirms(p_booking bigint[], p_actor text[], p_now bigint[],
    p_payment_ref text[], p_key text[], p_events jsonb[])
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
        v_show := p_booking[i] >> 24;
        BEGIN
            IF jsonb_array_length(coalesce(p_events[i], '[]')) > 0 THEN
                PERFORM bc_ledger_flush(v_show, p_events[i]);
            END IF;
            o_row := bc_confirm_booking(p_booking[i], p_actor[i], p_now[i], p_payment_ref[i], p_key[i]);
            SELECT redis_epoch INTO o_epoch FROM bc_show_state WHERE show_id = v_show;
        EXCEPTION WHEN SQLSTATE 'BC000' THEN
            GET STACKED DIAGNOSTICS o_error = MESSAGE_TEXT, o_detail = PG_EXCEPTION_DETAIL;
        END;
        RETURN NEXT;
    END LOOP;
END $$;
