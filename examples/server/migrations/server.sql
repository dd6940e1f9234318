-- booking-server's own tables, beside booking-postgres's in the same schema. Every statement is
-- idempotent; the server runs this file on start under an advisory lock.
CREATE TABLE IF NOT EXISTS srv_users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    phone         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('customer', 'staff', 'admin')),
    password_hash TEXT NOT NULL,
    totp_secret   TEXT,
    totp_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS srv_movies (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title           TEXT NOT NULL,
    runtime_minutes INTEGER NOT NULL CHECK (runtime_minutes > 0),
    rating          TEXT NOT NULL,
    synopsis        TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS srv_show_movies (
    show_id  BIGINT PRIMARY KEY,
    movie_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS srv_notifications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL,
    channel      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    delivered_ms BIGINT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    -- The same event is never recorded twice for one channel, whichever instance sees it first.
    CONSTRAINT srv_notifications_once UNIQUE (dedupe_key, channel)
);
CREATE INDEX IF NOT EXISTS srv_notifications_user ON srv_notifications (user_id, id DESC);
CREATE INDEX IF NOT EXISTS srv_notifications_pending ON srv_notifications (id) WHERE delivered_ms IS NULL;

CREATE TABLE IF NOT EXISTS srv_cursors (
    show_id BIGINT PRIMARY KEY,
    seq     BIGINT NOT NULL
);

-- One-time actions (loading the demo data) claimed by exactly one instance.
CREATE TABLE IF NOT EXISTS srv_once (
    key        TEXT PRIMARY KEY,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Sign-in state (sessions.rs). Refresh tokens by the SHA-256 of their text; a used one stays
-- (used = TRUE) until it expires, so that presenting it again is seen as the theft it is.
CREATE TABLE IF NOT EXISTS srv_refresh_tokens (
    hash      TEXT PRIMARY KEY,
    user_id   BIGINT NOT NULL,
    family    TEXT NOT NULL,
    expires_s BIGINT NOT NULL,
    used      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS srv_refresh_tokens_family ON srv_refresh_tokens (family);

-- Access tokens (`jti:<id>`) and whole sign-ins (`fam:<id>`) revoked before they expire.
CREATE TABLE IF NOT EXISTS srv_revoked_tokens (
    key       TEXT PRIMARY KEY,
    expires_s BIGINT NOT NULL
);

-- The last TOTP time step each account signed in with: a code counts once.
CREATE TABLE IF NOT EXISTS srv_totp_steps (
    user_id BIGINT PRIMARY KEY,
    step    BIGINT NOT NULL
);
