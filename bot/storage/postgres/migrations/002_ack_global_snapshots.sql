-- 002: the daily count across all communities (SPEC section 4, rule 6), as
-- SQLite's 002. Written once a day by the snapshot job, from that day's
-- per-community snapshots, so that no acknowledgement ever updates a shared
-- row and no request sums over communities. A bare number: nothing about a person.
CREATE TABLE ack_global_snapshots (
    day   TEXT PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    total BIGINT NOT NULL CHECK (total >= 0)
);
