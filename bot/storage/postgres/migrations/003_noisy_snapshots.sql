-- 003: noisy daily counts (SPEC section 4, rule 6; issue 11), as SQLite's 003.
-- A snapshot row now holds the day's figure: the community's true count plus
-- calibrated random noise, taken once a day and never recomputed. Snapshots
-- taken before this version hold exact counts: they are dropped, and the next
-- daily job takes the day's figures.
DELETE FROM ack_snapshots;
DELETE FROM ack_global_snapshots;

-- Whether the day's total across communities includes this community: its
-- counting was on and its own figure at or above its threshold when the
-- snapshot was taken. A bare flag about a community, nothing about a person.
ALTER TABLE ack_snapshots ADD COLUMN included BOOLEAN NOT NULL DEFAULT false;
