-- Idempotency keys are scoped per owner (the hold's or booking's customer): two customers who send
-- the same key on one show make two requests, not a conflict. The key leads the primary key so
-- that the functions' first look, "was this key used on this show at all?", stays one index probe.
ALTER TABLE bc_idempotency ADD COLUMN owner text;
UPDATE bc_idempotency k SET owner = b.owner FROM bc_bookings b
    WHERE b.show_id = k.show_id AND b.id = k.booking_id;
DELETE FROM bc_idempotency WHERE owner IS NULL;
ALTER TABLE bc_idempotency
    ALTER COLUMN owner SET NOT NULL,
    DROP CONSTRAINT bc_idempotency_pkey,
    ADD PRIMARY KEY (show_id, key, owner);
