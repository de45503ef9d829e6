"""The store of "me too" acknowledgements on PostgreSQL, with the behaviour of
bot/storage/sqlite/acks.py under the same privacy rules:

- a row is exactly (community id, member key, consent version, UTC day);
- adding and withdrawing go through one writer task that commits every waiting
  request in one transaction (group commit), each run of additions as one
  idempotent `INSERT ... ON CONFLICT DO NOTHING`, and resolves each caller only
  after COMMIT, which waits for the write-ahead log to reach the disk
  (synchronous_commit is on for every connection);
- deletions are hard deletes; the acknowledgements table is then vacuumed in
  the background (not FULL, never on the answer's path), so that the deleted
  rows leave the table's pages;
- counts are read from the snapshot tables written once a day; the day's
  figures are stored once and never replaced the same day;
- retention and rotating the secret fold rows into the anonymous tallies in
  one statement, so what is added is exactly what is deleted even while other
  processes write.

Nothing here imports discord or sees a user id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import asyncpg

from bot.storage.cache import Caches
from bot.storage.errors import StorageError
from bot.storage.postgres.backend import (
    CONNECT_TIMEOUT_SECONDS,
    SERVER_SETTINGS,
    STATEMENT_TIMEOUT_SECONDS,
    Database,
    DriverError,
    Transaction,
    describe_error,
    run_sync,
)
from bot.storage.records import (
    ACK_BATCH_MAX,
    KEY_BYTES,
    SECRET_FINGERPRINT,
    AckRecord,
    DayCounts,
    StartOfDay,
)
from bot.storage.url import DatabaseUrl

log = logging.getLogger(__name__)



@dataclass
class _Request:
    kind: Literal["add", "remove"]
    guild_id: int
    member_key: bytes
    consent_version: int = 0
    day: str = ""
    future: asyncio.Future[bool] = field(default_factory=lambda: asyncio.get_running_loop()
                                         .create_future())


_STOP = None

_ADD = """
INSERT INTO acknowledgements (guild_id, member_key, consent_version, day)
SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::integer[], $4::text[])
ON CONFLICT (guild_id, member_key) DO NOTHING
RETURNING guild_id, member_key
"""

_REMOVE = """
DELETE FROM acknowledgements AS a
USING unnest($1::bigint[], $2::bytea[]) AS r (guild_id, member_key)
WHERE a.guild_id = r.guild_id AND a.member_key = r.member_key
RETURNING a.guild_id, a.member_key
"""

# Every community the daily job draws a figure for: those holding rows from
# before the day or a tally, and those with counting on (their figure is noise
# around zero, exactly as if they held rows: an empty community looks like any).
_START_OF_DAY = """
SELECT c.guild_id,
       coalesce(r.number, 0) + coalesce(t.retired, 0),
       coalesce(s.acknowledgements_enabled, false),
       s.threshold
FROM (SELECT guild_id FROM acknowledgements WHERE day < $1
      UNION SELECT guild_id FROM ack_tallies
      UNION SELECT guild_id FROM community_settings WHERE acknowledgements_enabled) AS c
LEFT JOIN (SELECT guild_id, count(*) AS number FROM acknowledgements WHERE day < $1
           GROUP BY guild_id) AS r ON r.guild_id = c.guild_id
LEFT JOIN ack_tallies AS t ON t.guild_id = c.guild_id
LEFT JOIN community_settings AS s ON s.guild_id = c.guild_id
ORDER BY c.guild_id
"""

# A loose index scan: each community id once, in O(communities x log rows),
# without reading every row as SELECT DISTINCT would.
_COMMUNITIES_WITH_ROWS = """
WITH RECURSIVE ids(guild_id) AS (
    SELECT min(guild_id) FROM acknowledgements
    UNION ALL
    SELECT (SELECT min(guild_id) FROM acknowledgements WHERE guild_id > ids.guild_id)
    FROM ids WHERE ids.guild_id IS NOT NULL
)
SELECT guild_id FROM ids WHERE guild_id IS NOT NULL
"""

# Retention and rotation: delete the rows (all of them, or those before a day),
# add exactly the deleted ones to their communities' tallies, in one statement.
_FOLD = """
WITH gone AS (DELETE FROM acknowledgements WHERE {where} RETURNING guild_id),
     counted AS (SELECT guild_id, count(*) AS number FROM gone GROUP BY guild_id),
     added AS (INSERT INTO ack_tallies (guild_id, retired) SELECT guild_id, number FROM counted
               ON CONFLICT (guild_id) DO UPDATE SET retired = ack_tallies.retired + excluded.retired
               RETURNING guild_id)
SELECT coalesce(sum(number), 0) FROM counted
"""

_SECRET_STATE = ("SELECT (SELECT value FROM meta WHERE key = $1), "
                 "EXISTS (SELECT 1 FROM acknowledgements)")

_SET_SECRET = ("INSERT INTO meta (key, value) VALUES ($1, $2) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def _check(guild_id: int, member_key: bytes) -> None:
    if not isinstance(member_key, bytes) or len(member_key) != KEY_BYTES:
        raise ValueError("a member key is 32 bytes")
    if not isinstance(guild_id, int) or guild_id <= 0:
        raise ValueError("a community id is a positive integer")


def _runs(batch: list[_Request]) -> list[list[_Request]]:
    """The batch cut into runs of one kind, in order (an add and a remove of the
    same key in one batch keep their order)."""
    runs: list[list[_Request]] = []
    for request in batch:
        if runs and runs[-1][0].kind == request.kind:
            runs[-1].append(request)
        else:
            runs.append([request])
    return runs


class AckStore:
    def __init__(self, db: Database, caches: Caches | None = None) -> None:
        self._db = db
        # The day's figures are read by every /metoo count: kept in memory under
        # the stores' one policy (bot/storage/cache.py).
        self._caches = caches or Caches()
        self._queue: asyncio.Queue[_Request | None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._closed = False
        self.commits = 0  # write transactions committed by the writer (group commit)

    # ------------------------------------------------------------ the writer
    async def add(self, guild_id: int, member_key: bytes, consent_version: int, day: str) -> bool:
        """Store one acknowledgement; True once committed, False if this member
        was already counted here (nothing changes: one row per person per community)."""
        _check(guild_id, member_key)
        return await self._submit(_Request("add", guild_id, member_key, consent_version, day))

    async def remove(self, guild_id: int, member_key: bytes) -> bool:
        """Withdraw: hard-delete the row (then VACUUM, in the background). True if a row went."""
        _check(guild_id, member_key)
        return await self._submit(_Request("remove", guild_id, member_key))

    async def _submit(self, request: _Request) -> bool:
        if self._closed:
            raise StorageError("the acknowledgement store is closed")
        if self._writer is None or self._writer.done():
            self._queue = asyncio.Queue()
            self._writer = asyncio.create_task(self._write_loop(self._queue),
                                               name="acknowledgement-writer")
        assert self._queue is not None
        self._queue.put_nowait(request)
        # Shielded: a caller that goes away does not cancel the batch of others.
        return await asyncio.shield(request.future)

    async def _write_loop(self, queue: asyncio.Queue[_Request | None]) -> None:
        stopping = False
        while not stopping:
            first = await queue.get()
            if first is _STOP:
                break
            batch = [first]
            while len(batch) < ACK_BATCH_MAX and not queue.empty():
                more = queue.get_nowait()
                if more is _STOP:
                    stopping = True
                    break
                batch.append(more)
            await self._commit(batch)

    async def _commit(self, batch: list[_Request]) -> None:
        results: list[bool] = []
        try:
            async with self._db.transaction() as tx:
                for run in _runs(batch):
                    results.extend(await _write_run(tx, run))
            self.commits += 1
        except Exception as exc:
            failure = exc if isinstance(exc, StorageError) else StorageError(
                f"could not save acknowledgements: {type(exc).__name__}")
            log.warning("acknowledgement batch of %d not saved: %s", len(batch),
                        type(exc).__name__)
            for request in batch:
                if not request.future.done():
                    request.future.set_exception(failure)
            return
        for request, done in zip(batch, results, strict=True):
            if not request.future.done():
                request.future.set_result(done)
        if any(r.kind == "remove" and done for r, done in zip(batch, results, strict=True)):
            self._db.after_delete()

    async def close(self) -> None:
        """Commit what is waiting, then stop the writer."""
        self._closed = True
        if self._writer is not None and not self._writer.done():
            assert self._queue is not None
            self._queue.put_nowait(_STOP)
            await self._writer
        self._writer = None

    # ------------------------------------------------------------- a person
    async def has(self, guild_id: int, member_key: bytes) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM acknowledgements WHERE guild_id = $1 AND member_key = $2",
            guild_id, member_key,
        )
        return row is not None

    async def communities_with_rows(self) -> list[int]:
        """The communities that hold at least one acknowledgement (to recompute a
        person's keys for export and erasure)."""
        rows = await self._db.fetchall(_COMMUNITIES_WITH_ROWS)
        return [int(row[0]) for row in rows]

    async def records(self, keys: Mapping[int, bytes]) -> list[AckRecord]:
        """The rows of one person: `keys` maps each community id to their key there."""
        if not keys:
            return []
        guilds, members = zip(*sorted(keys.items()), strict=True)
        rows = await self._db.fetchall(
            "SELECT a.guild_id, a.member_key, a.consent_version, a.day FROM acknowledgements AS a "
            "JOIN unnest($1::bigint[], $2::bytea[]) AS k (guild_id, member_key) "
            "ON a.guild_id = k.guild_id AND a.member_key = k.member_key ORDER BY a.guild_id",
            list(guilds), list(members),
        )
        return [AckRecord(int(g), bytes(k), int(v), str(d)) for g, k, v, d in rows]

    async def erase(self, keys: Mapping[int, bytes]) -> int:
        """Delete every row of one person in every community, in one transaction
        (then VACUUM in the background). Returns the number of rows deleted."""
        for guild_id, member_key in keys.items():
            _check(guild_id, member_key)
        if not keys:
            return 0
        guilds, members = zip(*keys.items(), strict=True)
        async with self._db.transaction() as tx:
            deleted = len(await tx.fetchall(_REMOVE, list(guilds), list(members)))
        if deleted:
            self._db.after_delete()
        return deleted

    # ------------------------------------------------------- a community
    async def delete_community(self, guild_id: int) -> int:
        """Delete a community's acknowledgements, tally and snapshots (for an
        admin who turns the feature off and wants the data gone)."""
        deleted = 0
        self._caches.counts.drop(guild_id)
        async with self._db.transaction() as tx:
            for table in ("acknowledgements", "ack_tallies", "ack_snapshots"):
                deleted += await tx.execute(f"DELETE FROM {table} WHERE guild_id = $1", guild_id)
        self._db.after_delete()
        self._caches.counts.drop(guild_id)
        return deleted

    # ------------------------------------------------ the daily job's work
    async def fold_expired(self, before_day: str) -> int:
        """Retention (no row older than ACK_RETENTION_DAYS): add the number of rows
        whose day is before `before_day` to each community's anonymous tally, and
        delete those rows, in one statement. Returns the number of rows folded."""
        async with self._db.transaction() as tx:
            deleted = await _fold(tx, before_day)
        if deleted:
            self._db.after_delete()
        return deleted

    async def has_snapshot(self, day: str) -> bool:
        """Whether the figures of `day` were taken (they are taken once)."""
        row = await self._db.fetchone("SELECT 1 FROM ack_global_snapshots WHERE day = $1", day)
        return row is not None

    async def start_of_day(self, day: str) -> list[StartOfDay]:
        """Each community's count at the start of `day` (its rows from earlier days
        plus its anonymous tally) with its counting settings, for the daily job."""
        found = await self._db.fetchall(_START_OF_DAY, day)
        return [StartOfDay(int(g), int(total), bool(enabled),
                           None if threshold is None else int(threshold))
                for g, total, enabled, threshold in found]

    async def store_snapshots(self, day: str, communities: Mapping[int, tuple[int, bool]],
                              everywhere: int) -> bool:
        """Store the day's figures (one noisy figure a day, never replaced): per
        community (figure, included in the total), and the total across
        communities. Once a day: if the day's figures are already stored (a
        restart, another process), nothing changes and False is returned. Earlier
        days' figures are deleted."""
        ordered = sorted(communities.items())
        self._caches.new_snapshot()  # a count read meanwhile is not kept
        async with self._db.transaction() as tx:
            taken = await tx.execute(
                "INSERT INTO ack_global_snapshots (day, total) VALUES ($1, $2) "
                "ON CONFLICT (day) DO NOTHING", day, everywhere)
            if not taken:
                return False
            await tx.execute("DELETE FROM ack_global_snapshots WHERE day <> $1", day)
            await tx.execute("DELETE FROM ack_snapshots")
            await tx.execute(
                "INSERT INTO ack_snapshots (guild_id, day, total, included) "
                "SELECT g, $1, t, i FROM unnest($2::bigint[], $3::bigint[], $4::boolean[]) "
                "AS s (g, t, i)",
                day, [g for g, _ in ordered], [value for _, (value, _) in ordered],
                [bool(included) for _, (_, included) in ordered])
        self._caches.new_snapshot()
        return True

    # ------------------------------------------------------------- counts
    async def counts(self, guild_id: int, day: str) -> DayCounts:
        """The latest figures on or before `day`: the total across communities and
        this community's figure of the same day. One query: /metoo count is
        answered from these alone, never from the rows."""
        return await self._caches.day_counts(guild_id, day,
                                             lambda: self._read_counts(guild_id, day))

    async def _read_counts(self, guild_id: int, day: str) -> DayCounts:
        row = await self._db.fetchone(
            "SELECT g.day, g.total, s.total, s.included FROM "
            "(SELECT day, total FROM ack_global_snapshots WHERE day <= $2 "
            " ORDER BY day DESC LIMIT 1) AS g "
            "LEFT JOIN ack_snapshots AS s ON s.guild_id = $1 AND s.day = g.day",
            guild_id, day,
        )
        if row is None:
            return DayCounts(None, None, False, None)
        taken, everywhere, here, included = row
        return DayCounts(str(taken), None if here is None else int(here), bool(included),
                         int(everywhere))

    async def snapshot_day(self) -> str | None:
        """The day of the current snapshot, if any."""
        row = await self._db.fetchone("SELECT max(day) FROM ack_global_snapshots")
        return None if row is None or row[0] is None else str(row[0])

    # ------------------------------------------------------------ the secret
    async def secret_state(self) -> tuple[str | None, bool]:
        """The stored fingerprint of ACK_SECRET (None: none yet), and whether any
        acknowledgement row exists."""
        row = await self._db.fetchone(_SECRET_STATE, SECRET_FINGERPRINT)
        assert row is not None
        return (None if row[0] is None else str(row[0])), bool(row[1])

    async def record_secret(self, fingerprint: str) -> None:
        """Remember the fingerprint of the secret the rows are made with."""
        await self._db.execute(_SET_SECRET, SECRET_FINGERPRINT, fingerprint)

    async def rotate_secret(self, fingerprint: str | None) -> int:
        """After ACK_SECRET changed: in one transaction, fold every row (none can
        be linked to anyone any more) into its community's anonymous tally,
        delete the rows, and record the new secret's fingerprint (None: no
        secret). Then VACUUM in the background. Returns the number of rows folded."""
        async with self._db.transaction() as tx:
            folded = await _fold(tx, None)
            if fingerprint is None:
                await tx.execute("DELETE FROM meta WHERE key = $1", SECRET_FINGERPRINT)
            else:
                await tx.execute(_SET_SECRET, SECRET_FINGERPRINT, fingerprint)
        if folded:
            self._db.after_delete()
        return folded


async def _write_run(tx: Transaction, run: list[_Request]) -> list[bool]:
    """One statement for a run of additions (or of withdrawals); each request's
    result: whether its row went in (or out). The same key twice in a run: the
    first request changes the row, the second finds it done."""
    guilds = [r.guild_id for r in run]
    members = [r.member_key for r in run]
    if run[0].kind == "add":
        changed = await tx.fetchall(_ADD, guilds, members, [r.consent_version for r in run],
                                    [r.day for r in run])
    else:
        changed = await tx.fetchall(_REMOVE, guilds, members)
    left = {(int(g), bytes(k)) for g, k in changed}
    results = []
    for request in run:
        which = (request.guild_id, request.member_key)
        results.append(which in left)
        left.discard(which)
    return results


async def _fold(tx: Transaction, before_day: str | None) -> int:
    """Add the rows whose day is before `before_day` (None: every row) to their
    community's tally and delete them, in one statement."""
    if before_day is None:
        row = await tx.fetchone(_FOLD.format(where="true"))
    else:
        row = await tx.fetchone(_FOLD.format(where="day < $1"), before_day)
    assert row is not None
    return int(row[0])


async def _read_secret_state(url: DatabaseUrl) -> tuple[str | None, bool]:
    conn = await asyncpg.connect(dsn=url.dsn, timeout=CONNECT_TIMEOUT_SECONDS,
                                 command_timeout=STATEMENT_TIMEOUT_SECONDS,
                                 server_settings=SERVER_SETTINGS)
    try:
        if await conn.fetchval("SELECT to_regclass('acknowledgements')") is None:
            return None, False  # not created yet: nothing is stored
        row = await conn.fetchrow(_SECRET_STATE, SECRET_FINGERPRINT)
    finally:
        await conn.close()
    assert row is not None
    return (None if row[0] is None else str(row[0])), bool(row[1])


def read_secret_state(url: DatabaseUrl) -> tuple[str | None, bool]:
    """For `python -m bot check`: the stored fingerprint and whether rows exist,
    read without changing anything (no schema yet: nothing stored)."""
    try:
        return run_sync(lambda: _read_secret_state(url))
    except (*DriverError, ValueError) as exc:
        raise StorageError(f"cannot read the database at {url}: "
                           f"{describe_error(exc, url)}") from None
