-- bc_place_hold and bc_place_holds take the witness of the engine's no-orphan check (seats seen
-- free and taken around the selection). PostgreSQL will not replace a function whose arguments
-- change, so the old signatures go here; `functions/` creates the new ones after the migrations.
DROP FUNCTION IF EXISTS bc_place_holds(bigint[], text[], integer[], integer[], bigint[], bigint[], bigint[],
    integer[], text[], boolean);
DROP FUNCTION IF EXISTS bc_place_hold(bigint, text, integer[], bigint, bigint, bigint, integer, text, boolean);
