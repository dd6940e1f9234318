-- booking-core on PostgreSQL: the tables.
--
-- Times are milliseconds since the Unix epoch (bigint), as the core's Timestamp, and always come
-- from the engine's clock: no SQL here reads now().
--
-- Quotes and event payloads are `json` (kept as the text the core wrote), not `jsonb`: they are
-- written and read whole, never queried inside, and text costs nothing to store and return.
--
-- Every hot table is keyed by show first, and hold and booking ids carry their show
-- (id = show * 2^24 + n), so each operation touches rows of one show only and the schema can be
-- distributed by show (see the crate README).

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
    next_lease bigint NOT NULL DEFAULT 1
) WITH (fillfactor = 50);

-- Who occupies a seat. The primary key is the guarantee: one row per (show, seat), so a seat is
-- held or booked by at most one lease at a time. A row whose `until` has passed is free: the
-- statement that takes a seat overwrites it (no sweeper is needed for correctness).
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

-- One row per seat of a confirmed booking. The partial unique index is the second guarantee: a
-- (show, seat) has at most one live ticket, whatever the code above it does.
CREATE TABLE bc_tickets (
    show_id       bigint NOT NULL,
    booking_id    bigint NOT NULL,
    seat          integer NOT NULL,
    live          boolean NOT NULL DEFAULT true,
    checked_in_at bigint,
    PRIMARY KEY (show_id, booking_id, seat)
);
CREATE UNIQUE INDEX bc_tickets_one_live_per_seat ON bc_tickets (show_id, seat) WHERE live;

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
