-- bc_place_hold and bc_place_holds take the owner's cap of tickets (held, pending and paid seats)
-- on the show. PostgreSQL will not replace a function whose arguments change, so the old
-- signatures go here; `functions/` creates the new ones after the migrations.
DROP FUNCTION IF EXISTS bc_place_holds(bigint[], text[], integer[], integer[], bigint[], bigint[], bigint[],
    integer[], text[], integer[], integer[], integer[], integer[], boolean);
DROP FUNCTION IF EXISTS bc_place_hold(bigint, text, integer[], bigint, bigint, bigint, integer, text,
    integer[], integer[], boolean);
