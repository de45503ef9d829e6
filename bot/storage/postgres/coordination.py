"""How shard processes take turns: IDENTIFY slots and daily-job leases (the
same behaviour as bot/storage/sqlite/coordination.py). Each claim is one
statement on a row: concurrent processes serialise on its lock, and the
database's clock is every process's clock."""

from __future__ import annotations

from bot.storage.postgres.backend import Database
from bot.storage.records import JobClaim

# Unix seconds by the server's clock (at the moment of the statement).
NOW = "extract(epoch FROM clock_timestamp())::float8"


class CoordinationStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim_identify(self, rate_limit_key: int, window: float) -> float:
        async with self._db.transaction() as tx:
            taken = await tx.fetchone(
                "INSERT INTO gateway_identify (rate_limit_key, identified_at) "
                f"VALUES ($1, {NOW}) ON CONFLICT (rate_limit_key) DO UPDATE "
                "SET identified_at = excluded.identified_at "
                "WHERE gateway_identify.identified_at + $2 <= excluded.identified_at "
                "RETURNING identified_at",
                rate_limit_key, window,
            )
            if taken is not None:
                return 0.0
            row = await tx.fetchone(
                f"SELECT identified_at + $1 - {NOW} FROM gateway_identify "
                "WHERE rate_limit_key = $2", window, rate_limit_key)
        return max(float(row[0]), 0.001) if row is not None else 0.001

    async def claim_job(self, job: str, day: str, owner: str, lease_seconds: float) -> JobClaim:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM job_leases WHERE job = $1 AND day < $2", job, day)
            mine = await tx.fetchone(
                "INSERT INTO job_leases (job, day, owner, lease_until) "
                f"VALUES ($1, $2, $3, {NOW} + $4) ON CONFLICT (job, day) DO UPDATE "
                "SET owner = excluded.owner, lease_until = excluded.lease_until "
                "WHERE NOT job_leases.done AND (job_leases.owner = excluded.owner "
                f"OR job_leases.lease_until < {NOW}) RETURNING owner",
                job, day, owner, lease_seconds,
            )
            if mine is not None:
                return "mine"
            row = await tx.fetchone(
                "SELECT done FROM job_leases WHERE job = $1 AND day = $2", job, day)
        return "done" if row is not None and row[0] else "held"

    async def finish_job(self, job: str, day: str, owner: str) -> bool:
        changed = await self._db.execute(
            "UPDATE job_leases SET done = true WHERE job = $1 AND day = $2 AND owner = $3",
            job, day, owner)
        return changed == 1
