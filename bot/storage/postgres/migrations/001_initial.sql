-- 001: the first schema, as SQLite's 001_initial.sql (same tables, columns
-- and keys; PostgreSQL types). Every table is keyed on the community (guild)
-- id first, with no sequences, so several shard processes share it.

-- Small key/value facts about this deployment (e.g. the hash of the last
-- command sync). Never anything about a person.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per community that changed a setting; absent means all defaults.
CREATE TABLE community_settings (
    guild_id                 BIGINT PRIMARY KEY,
    country                  TEXT CHECK (country IS NULL OR length(country) = 2),
    acknowledgements_enabled BOOLEAN NOT NULL DEFAULT false,
    threshold                INTEGER NOT NULL DEFAULT 10 CHECK (threshold >= 5),
    panel_channel_id         BIGINT,
    panel_message_id         BIGINT,
    log_channel_id           BIGINT
);

-- Local resources an admin added (a counselling centre, a union contact).
-- name_key is the case-folded name, so "Campus Help" and "campus help" clash.
CREATE TABLE community_resources (
    guild_id    BIGINT NOT NULL,
    name_key    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    url         TEXT,
    phone       TEXT,
    added_on    TEXT NOT NULL,
    PRIMARY KEY (guild_id, name_key)
);

-- "Me too" acknowledgements (SPEC section 4, rule 4): exactly the community,
-- a keyed pseudonym of the member (HMAC-SHA256, 32 bytes), the consent text
-- version and the UTC day. Nothing else, ever.
CREATE TABLE acknowledgements (
    guild_id        BIGINT NOT NULL,
    member_key      BYTEA NOT NULL CHECK (octet_length(member_key) = 32),
    consent_version INTEGER NOT NULL,
    day             TEXT NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    PRIMARY KEY (guild_id, member_key)
);

-- Retention folds old rows by day.
CREATE INDEX acknowledgements_by_day ON acknowledgements (day);

-- Anonymous per-community tallies: a bare number of acknowledgements that
-- were folded in by retention (SPEC rule 7).
CREATE TABLE ack_tallies (
    guild_id BIGINT PRIMARY KEY,
    retired  BIGINT NOT NULL DEFAULT 0 CHECK (retired >= 0)
);

-- Daily count snapshots (SPEC rule 6), written once a day by one job.
CREATE TABLE ack_snapshots (
    guild_id BIGINT NOT NULL,
    day      TEXT NOT NULL,
    total    BIGINT NOT NULL CHECK (total >= 0),
    PRIMARY KEY (guild_id, day)
);
