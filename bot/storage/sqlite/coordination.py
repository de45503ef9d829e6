"""How shard processes take turns: IDENTIFY slots and daily-job leases. SQLite
serves one process (a second one is refused at start), but these are the same
operations as PostgreSQL's, so the bot runs them the same way on both."""

from __future__ import annotations

from bot.storage.records import JobClaim
from bot.storage.sqlite.backend import Database

# Unix seconds (with milliseconds) by SQLite's clock.
NOW = "((julianday('now') - 2440587.5) * 86400.0)"


class CoordinationStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim_identify(self, rate_limit_key: int, window: float) -> float:
        async with self._db.transaction() as tx:
            taken = await tx.fetchone(
                "INSERT INTO gateway_identify (rate_limit_key, identified_at) "
                f"VALUES (?, {NOW}) ON CONFLICT (rate_limit_key) DO UPDATE "
                "SET identified_at = excluded.identified_at "
                "WHERE gateway_identify.identified_at + ? <= excluded.identified_at "
                "RETURNING identified_at",
                (rate_limit_key, window),
            )
            if taken is not None:
                return 0.0
            row = await tx.fetchone(
                f"SELECT identified_at + ? - {NOW} FROM gateway_identify "
                "WHERE rate_limit_key = ?", (window, rate_limit_key))
        return max(float(row[0]), 0.001) if row is not None else 0.001

    async def claim_job(self, job: str, day: str, owner: str, lease_seconds: float) -> JobClaim:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM job_leases WHERE job = ? AND day < ?", (job, day))
            mine = await tx.fetchone(
                "INSERT INTO job_leases (job, day, owner, lease_until) "
                f"VALUES (?, ?, ?, {NOW} + ?) ON CONFLICT (job, day) DO UPDATE "
                "SET owner = excluded.owner, lease_until = excluded.lease_until "
                "WHERE job_leases.done = 0 AND (job_leases.owner = excluded.owner "
                f"OR job_leases.lease_until < {NOW}) RETURNING owner",
                (job, day, owner, lease_seconds),
            )
            if mine is not None:
                return "mine"
            row = await tx.fetchone(
                "SELECT done FROM job_leases WHERE job = ? AND day = ?", (job, day))
        return "done" if row is not None and row[0] else "held"

    async def finish_job(self, job: str, day: str, owner: str) -> bool:
        changed = await self._db.execute(
            "UPDATE job_leases SET done = 1 WHERE job = ? AND day = ? AND owner = ?",
            (job, day, owner))
        return changed == 1
