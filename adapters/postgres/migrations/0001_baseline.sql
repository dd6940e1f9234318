-- booking-core on PostgreSQL: the tables, as they stand. The crate is unreleased, so its history
-- (seven migrations) was squashed into this baseline; later changes of a table come as new
-- migrations beside it. Functions and the triggers that call them are not here: every function's
-- one current body is in `functions/`, re-applied after the migrations on every migrate (see the
-- crate README, "Schema").
--
-- Times are milliseconds since the Unix epoch (bigint), as the core's Timestamp, and always come
-- from the engine's clock: no SQL here reads now().
--
-- Quotes and event payloads are `json` (kept as the text the core wrote), not `jsonb`: they are
-- written and read whole, never queried inside, and text costs nothing to store and return.
--
-- Every hot table is keyed by show first, and hold and booking ids carry their show
-- (id = show * 2^24 + n, `functions/01_ids.sql`), so each operation touches rows of one show only
-- and the schema can be distributed by show (see the crate README).

CREATE TABLE bc_theatres (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL,
    city      text NOT NULL,
    time_zone text NOT NULL
);

CREATE TABLE bc_screens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    theatre_id bigint NOT NULL REFERENCES bc_theatres (id),
    name       text NOT NULL,
    -- The layout in its JSON form (LayoutSpec).
    layout     jsonb NOT NULL
);
CREATE INDEX bc_screens_theatre ON bc_screens (theatre_id, id);

CREATE TABLE bc_shows (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    screen_id  bigint NOT NULL REFERENCES bc_screens (id),
    theatre_id bigint NOT NULL,
    starts_at  bigint NOT NULL,
    ends_at    bigint NOT NULL CHECK (ends_at > starts_at),
    -- The show itself (title, sales window, pricing, layout) as the core serialises it; its id
    -- and status are the columns'.
    data       jsonb NOT NULL
);
CREATE INDEX bc_shows_screen ON bc_shows (screen_id, starts_at);
CREATE INDEX bc_shows_starts ON bc_shows (starts_at);

-- The small, hot row of each show. Every change of a show first locks this row, which orders the
-- changes of one show (and never those of two different shows) and keeps its log without gaps.
-- Kept apart from bc_shows so that its frequent updates copy a few bytes, not the show's JSON.
CREATE TABLE bc_show_state (
    show_id    bigint PRIMARY KEY REFERENCES bc_shows (id),
    status     text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    seat_count integer NOT NULL CHECK (seat_count > 0),
    -- Seats the layout blocks: never held.
    blocked    integer[] NOT NULL DEFAULT '{}',
    -- The next event's sequence number.
    next_seq   bigint NOT NULL DEFAULT 1,
    -- The next hold or booking number within the show (ids are show * 2^24 + number).
    next_lease bigint NOT NULL DEFAULT 1,
    -- The durable half of a hybrid store (booking-redis) keeps its holds on Redis, which numbers
    -- each change of a show's holds with a tick (the hold's id within the show and its fencing
    -- token). Ticks come from blocks handed out here, so a Redis that restarts empty goes on
    -- above every tick it ever issued: every tick below this one may have been issued.
    redis_ticks bigint NOT NULL DEFAULT 1,
    -- The highest tick whose event is in bc_events: Redis queues its events in a per-show outbox,
    -- and a flush appends them in tick order exactly once, before any other event of the show.
    redis_flushed bigint NOT NULL DEFAULT 0,
    -- Bumped each time Redis is seeded from here: a hold from an older seeding is gone.
    redis_epoch bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 50);

-- Who occupies a seat. The primary key is the guarantee: one row per (show, seat), so a seat is
-- held or booked by at most one lease at a time. A row whose `until` has passed is free: the
-- statement that takes a seat overwrites it (no sweeper is needed for correctness). A sold seat's
-- claim (until = i64::MAX) is its ticket, and triggers guard it (`functions/10_sold_claims.sql`).
CREATE TABLE bc_seat_claims (
    show_id    bigint NOT NULL,
    seat       integer NOT NULL,
    hold_id    bigint,
    booking_id bigint,
    -- Exclusive end of the claim; i64::MAX once sold.
    until      bigint NOT NULL,
    PRIMARY KEY (show_id, seat),
    CHECK ((hold_id IS NULL) <> (booking_id IS NULL))
);
-- No other index: every statement that touches a lease's claims names its seats, so the primary
-- key finds them, and a claim costs one index entry.

CREATE TABLE bc_holds (
    show_id        bigint NOT NULL,
    id             bigint NOT NULL,
    owner          text NOT NULL,
    seats          integer[] NOT NULL,
    placed_at      bigint NOT NULL,
    expires_at     bigint NOT NULL,
    max_expires_at bigint NOT NULL,
    fence          bigint NOT NULL,
    quote          json NOT NULL,
    PRIMARY KEY (show_id, id)
);
CREATE INDEX bc_holds_owner ON bc_holds (show_id, owner);
CREATE INDEX bc_holds_expiry ON bc_holds (expires_at);

CREATE TABLE bc_bookings (
    show_id          bigint NOT NULL,
    id               bigint NOT NULL,
    owner            text NOT NULL,
    hold_id          bigint NOT NULL,
    seats            integer[] NOT NULL,
    quote            json NOT NULL,
    status           text NOT NULL CHECK (status IN
                         ('pending', 'confirmed', 'checked_in', 'expired', 'cancelled', 'refunded')),
    created_at       bigint NOT NULL,
    payment_deadline bigint NOT NULL,
    payment_ref      text,
    updated_at       bigint NOT NULL,
    checked_in       integer[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (show_id, id)
);
CREATE INDEX bc_bookings_owner ON bc_bookings (owner, id);
CREATE INDEX bc_bookings_pending ON bc_bookings (payment_deadline) WHERE status = 'pending';

-- Idempotency keys of create and confirm, per show: a retry returns the first answer.
CREATE TABLE bc_idempotency (
    show_id    bigint NOT NULL,
    key        text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('create', 'confirm')),
    hold_id    bigint,
    booking_id bigint NOT NULL,
    PRIMARY KEY (show_id, key)
);

CREATE TABLE bc_promo_uses (
    show_id bigint NOT NULL,
    code    text NOT NULL,
    uses    integer NOT NULL,
    PRIMARY KEY (show_id, code)
);

-- The per-show log, and the outbox: appended in the transaction of the change it describes.
CREATE TABLE bc_events (
    show_id bigint NOT NULL,
    seq     bigint NOT NULL,
    at      bigint NOT NULL,
    kind    json NOT NULL,
    PRIMARY KEY (show_id, seq)
);

-- This database's name on Redis: every key of a hybrid store starts with it, so databases that
-- share one Redis (tests, tenants, a database dropped and made again) never share keys.
CREATE TABLE bc_ledger_instance (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    name text NOT NULL
);
INSERT INTO bc_ledger_instance (name) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16));
