-- 004: what several shard processes share to take turns, as SQLite's 004
-- (nothing about a person or a community).

-- When a shard of each IDENTIFY rate-limit key (shard_id % max_concurrency)
-- last identified, in Unix seconds by the database's clock: Discord allows one
-- IDENTIFY per key every 5 seconds, across every process of the bot.
CREATE TABLE gateway_identify (
    rate_limit_key INTEGER PRIMARY KEY CHECK (rate_limit_key >= 0),
    identified_at  DOUBLE PRECISION NOT NULL
);

-- Daily jobs (retention, the day's counts): one row per job and UTC day. The
-- process named by owner runs it until lease_until (Unix seconds, the
-- database's clock); after that, unless done, another process takes it over.
CREATE TABLE job_leases (
    job         TEXT NOT NULL CHECK (length(job) BETWEEN 1 AND 40),
    day         TEXT NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    owner       TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    lease_until DOUBLE PRECISION NOT NULL,
    done        BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (job, day)
);
