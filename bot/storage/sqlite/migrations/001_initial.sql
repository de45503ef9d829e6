-- 001: the first schema. Every table is keyed on the community (guild) id
-- first, with no autoincrement ids, so the same schema can serve PostgreSQL
-- and several shard processes later.

-- Small key/value facts about this deployment (e.g. the hash of the last
-- command sync). Never anything about a person.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per community that changed a setting; absent means all defaults.
CREATE TABLE community_settings (
    guild_id                 INTEGER PRIMARY KEY,
    country                  TEXT CHECK (country IS NULL OR length(country) = 2),
    acknowledgements_enabled INTEGER NOT NULL DEFAULT 0
                             CHECK (acknowledgements_enabled IN (0, 1)),
    threshold                INTEGER NOT NULL DEFAULT 10 CHECK (threshold >= 5),
    panel_channel_id         INTEGER,
    panel_message_id         INTEGER,
    log_channel_id           INTEGER
);

-- Local resources an admin added (a counselling centre, a union contact).
-- name_key is the case-folded name, so "Campus Help" and "campus help" clash.
CREATE TABLE community_resources (
    guild_id    INTEGER NOT NULL,
    name_key    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    url         TEXT,
    phone       TEXT,
    added_on    TEXT NOT NULL,
    PRIMARY KEY (guild_id, name_key)
) WITHOUT ROWID;

-- "Me too" acknowledgements (SPEC section 4, rule 4): exactly the community,
-- a keyed pseudonym of the member (HMAC-SHA256, 32 bytes), the consent text
-- version and the UTC day. Nothing else, ever.
CREATE TABLE acknowledgements (
    guild_id        INTEGER NOT NULL,
    member_key      BLOB NOT NULL CHECK (length(member_key) = 32),
    consent_version INTEGER NOT NULL,
    day             TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (guild_id, member_key)
) WITHOUT ROWID;

-- Retention folds old rows by day.
CREATE INDEX acknowledgements_by_day ON acknowledgements (day);

-- Anonymous per-community tallies: a bare number of acknowledgements that
-- were folded in by retention (SPEC rule 7).
CREATE TABLE ack_tallies (
    guild_id INTEGER PRIMARY KEY,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired >= 0)
);

-- Daily count snapshots (SPEC rule 6), written once a day by one job.
CREATE TABLE ack_snapshots (
    guild_id INTEGER NOT NULL,
    day      TEXT NOT NULL,
    total    INTEGER NOT NULL CHECK (total >= 0),
    PRIMARY KEY (guild_id, day)
) WITHOUT ROWID;
