-- Refusals. A failed check raises SQLSTATE BC000 with a refusal code of the core as the message
-- and its details as a JSON object; the store turns both into the typed error with
-- `StoreError::from_refusal` (core/src/store_refusal.rs lists every code and its detail keys;
-- tests/refusals.rs makes every code here happen and checks what the caller gets). The raise
-- undoes whatever the call had written, its reservations of ids and event numbers included, so
-- the log keeps no gap.

CREATE OR REPLACE FUNCTION bc_fail(p_code text, p_detail jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'BC000', MESSAGE = p_code, DETAIL = p_detail::text;
END $$;
