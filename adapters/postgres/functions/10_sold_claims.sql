-- A sold seat's claim is its ticket (until = i64::MAX), and the schema guards it as a constraint
-- would: while its booking is confirmed or checked in, a sold claim cannot be taken by another
-- lease, shortened or deleted, whatever the code above it does. With the primary key of
-- bc_seat_claims (one claim per show and seat), a seat is sold to at most one booking.
--
-- The triggers are here, beside the one function they call, rather than in the baseline
-- migration: a trigger needs its function to exist, and functions are applied after the
-- migrations. CREATE OR REPLACE TRIGGER keeps this file safe to apply on every migrate. This file
-- comes last: replacing a trigger locks bc_seat_claims until the migration's commit, so the lock
-- is held for the shortest time.

-- Raised as a unique violation of `bc_seat_claims_sold`, which the store reports as
-- SEAT_UNAVAILABLE and logs, as it does the primary key's.
CREATE OR REPLACE FUNCTION bc_guard_sold_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM bc_bookings b WHERE b.show_id = OLD.show_id
            AND b.id = OLD.booking_id AND b.status IN ('confirmed', 'checked_in')) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'unique_violation', CONSTRAINT = 'bc_seat_claims_sold',
        TABLE = 'bc_seat_claims',
        MESSAGE = format('seat %s of show %s is sold to booking %s', OLD.seat, OLD.show_id, OLD.booking_id);
END $$;

-- The WHEN clauses run without calling the function, so the claims of holds and pending bookings
-- (every write of the hot path) pay only for one comparison.
CREATE OR REPLACE TRIGGER bc_seat_claims_sold_kept BEFORE UPDATE ON bc_seat_claims FOR EACH ROW
    WHEN (OLD.until = 9223372036854775807 AND (NEW.until <> OLD.until OR NEW.seat <> OLD.seat
        OR NEW.show_id <> OLD.show_id OR NEW.booking_id IS DISTINCT FROM OLD.booking_id))
    EXECUTE FUNCTION bc_guard_sold_claim();
CREATE OR REPLACE TRIGGER bc_seat_claims_sold_ended BEFORE DELETE ON bc_seat_claims FOR EACH ROW
    WHEN (OLD.until = 9223372036854775807)
    EXECUTE FUNCTION bc_guard_sold_claim();
