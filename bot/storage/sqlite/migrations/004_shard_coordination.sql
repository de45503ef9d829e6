-- 004: what several shard processes share to take turns (nothing about a
-- person or a community; SQLite serves one process, but keeps the same schema).

-- When a shard of each IDENTIFY rate-limit key (shard_id % max_concurrency)
-- last identified, in Unix seconds by the database's clock: Discord allows one
-- IDENTIFY per key every 5 seconds, across every process of the bot.
CREATE TABLE gateway_identify (
    rate_limit_key INTEGER PRIMARY KEY CHECK (rate_limit_key >= 0),
    identified_at  REAL NOT NULL
) WITHOUT ROWID;

-- Daily jobs (retention, the day's counts): one row per job and UTC day. The
-- process named by owner runs it until lease_until (Unix seconds, the
-- database's clock); after that, unless done, another process takes it over.
CREATE TABLE job_leases (
    job         TEXT NOT NULL CHECK (length(job) BETWEEN 1 AND 40),
    day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    owner       TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    lease_until REAL NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    PRIMARY KEY (job, day)
) WITHOUT ROWID;
