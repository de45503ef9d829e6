"""The store of "me too" acknowledgements, their anonymous tallies and daily snapshots.

Every SQL statement about acknowledgements lives here (SPEC section 4):

- a row is exactly (community id, member key, consent version, UTC day);
- adding and withdrawing go through one writer task that commits every waiting
  request in one transaction (one fsync for many confirmations: group commit),
  and resolves each caller only after COMMIT;
- deletions are hard deletes followed by a WAL checkpoint (secure_delete is on),
  retried in the background while another connection blocks it;
- counts are read from the snapshot tables written once a day, never by
  counting rows per request; an acknowledgement writes its own row only.

Nothing here imports discord. Member keys are computed by the caller
(bot.core.acknowledgements.member_key); this module never sees a user id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.storage.database import Database, StorageError

log = logging.getLogger(__name__)

KEY_BYTES = 32
MAX_BATCH = 256  # requests committed together at most (bounds one transaction's time)


@dataclass(frozen=True)
class AckRecord:
    """One stored acknowledgement, exactly as stored."""

    guild_id: int
    member_key: bytes
    consent_version: int
    day: str


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


@contextlib.asynccontextmanager
async def _storage_errors(doing: str) -> AsyncIterator[None]:
    """sqlite3 errors (locked, read-only, full) become a StorageError for the
    features' kind answer; the message is for the operator and names no person."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"could not {doing}: {type(exc).__name__}: {exc}") from exc


def _check(guild_id: int, member_key: bytes) -> None:
    if not isinstance(member_key, bytes) or len(member_key) != KEY_BYTES:
        raise ValueError("a member key is 32 bytes")
    if not isinstance(guild_id, int) or guild_id <= 0:
        raise ValueError("a community id is a positive integer")


class AckStore:
    def __init__(self, db: Database) -> None:
        self._db = db
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
        """Withdraw: hard-delete the row, then checkpoint the WAL. True if a row went."""
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
            while len(batch) < MAX_BATCH and not queue.empty():
                more = queue.get_nowait()
                if more is _STOP:
                    stopping = True
                    break
                batch.append(more)
            await self._commit(batch)

    async def _commit(self, batch: list[_Request]) -> None:
        results: list[bool] = []
        try:
            async with _storage_errors("save acknowledgements"), self._db.transaction() as tx:
                for request in batch:
                    if request.kind == "add":
                        changed = await tx.execute(
                            "INSERT INTO acknowledgements "
                            "(guild_id, member_key, consent_version, day) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (guild_id, member_key) DO NOTHING",
                            (request.guild_id, request.member_key, request.consent_version,
                             request.day),
                        )
                    else:
                        changed = await tx.execute(
                            "DELETE FROM acknowledgements WHERE guild_id = ? AND member_key = ?",
                            (request.guild_id, request.member_key),
                        )
                    results.append(changed > 0)
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
        if any(r.kind == "remove" and done for r, done in zip(batch, results, strict=True)):
            await self._checkpoint()
        for request, done in zip(batch, results, strict=True):
            if not request.future.done():
                request.future.set_result(done)

    async def _checkpoint(self) -> None:
        """After a deletion: fold the WAL into the file and truncate it, so the
        deleted row's old page (zeroed in place by secure_delete) does not linger
        in the -wal file. While another connection blocks it, the database retries
        in the background; the answer never waits. The delete is committed."""
        try:
            await self._db.checkpoint_after_delete()
        except StorageError as exc:
            log.warning("WAL checkpoint after a deletion failed: %s", type(exc).__name__)

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
        async with _storage_errors("read acknowledgements"):
            row = await self._db.fetchone(
                "SELECT 1 FROM acknowledgements WHERE guild_id = ? AND member_key = ?",
                (guild_id, member_key),
            )
        return row is not None

    async def communities_with_rows(self) -> list[int]:
        """The communities that hold at least one acknowledgement (to recompute a
        person's keys for export and erasure)."""
        async with _storage_errors("read acknowledgements"):
            rows = await self._db.fetchall(_COMMUNITIES_WITH_ROWS)
        return [int(row[0]) for row in rows]

    async def records(self, keys: Mapping[int, bytes]) -> list[AckRecord]:
        """The rows of one person: `keys` maps each community id to their key there."""
        found = []
        async with _storage_errors("read acknowledgements"):
            for guild_id, member_key in sorted(keys.items()):
                row = await self._db.fetchone(
                    "SELECT consent_version, day FROM acknowledgements "
                    "WHERE guild_id = ? AND member_key = ?",
                    (guild_id, member_key),
                )
                if row is not None:
                    found.append(AckRecord(guild_id, member_key, int(row[0]), str(row[1])))
        return found

    async def erase(self, keys: Mapping[int, bytes]) -> int:
        """Delete every row of one person in every community, in one transaction,
        then checkpoint the WAL. Returns the number of rows deleted."""
        for guild_id, member_key in keys.items():
            _check(guild_id, member_key)
        deleted = 0
        async with _storage_errors("delete acknowledgements"), self._db.transaction() as tx:
            for guild_id, member_key in keys.items():
                deleted += await tx.execute(
                    "DELETE FROM acknowledgements WHERE guild_id = ? AND member_key = ?",
                    (guild_id, member_key),
                )
        if deleted:
            await self._checkpoint()
        return deleted

    # ------------------------------------------------------- a community
    async def delete_community(self, guild_id: int) -> int:
        """Delete a community's acknowledgements, tally and snapshots (for an
        admin who turns the feature off and wants the data gone)."""
        deleted = 0
        async with _storage_errors("delete acknowledgements"), self._db.transaction() as tx:
            for table in ("acknowledgements", "ack_tallies", "ack_snapshots"):
                deleted += await tx.execute(f"DELETE FROM {table} WHERE guild_id = ?",
                                            (guild_id,))
        await self._checkpoint()
        return deleted

    # ------------------------------------------------ the daily job's work
    async def fold_expired(self, before_day: str) -> int:
        """Retention (SPEC rule 7): in one transaction, add the number of rows
        whose day is before `before_day` to each community's anonymous tally, and
        delete those rows. Returns the number of rows folded."""
        async with _storage_errors("fold old acknowledgements"), self._db.transaction() as tx:
            per_community = await tx.fetchall(
                "SELECT guild_id, count(*) FROM acknowledgements WHERE day < ? "
                "GROUP BY guild_id",
                (before_day,),
            )
            for guild_id, number in per_community:
                await tx.execute(
                    "INSERT INTO ack_tallies (guild_id, retired) VALUES (?, ?) "
                    "ON CONFLICT (guild_id) DO UPDATE SET retired = retired + excluded.retired",
                    (guild_id, number),
                )
            deleted = await tx.execute("DELETE FROM acknowledgements WHERE day < ?",
                                       (before_day,))
            folded = sum(number for _, number in per_community)
            if deleted != folded:  # rolled back: the tally must match what went
                raise StorageError("retention counted and deleted different numbers of rows")
        if deleted:
            await self._checkpoint()
        return deleted

    async def take_snapshots(self, day: str) -> None:
        """The daily snapshot (SPEC rule 6): for each community, the count at the
        start of `day` (its rows from earlier days plus its anonymous tally), and
        the total across communities. Earlier snapshots are replaced."""
        async with _storage_errors("take the daily snapshot"), self._db.transaction() as tx:
            await tx.execute("DELETE FROM ack_snapshots")
            await tx.execute(
                "INSERT INTO ack_snapshots (guild_id, day, total) "
                "SELECT guild_id, ?, sum(number) FROM ("
                "  SELECT guild_id, count(*) AS number FROM acknowledgements WHERE day < ? "
                "  GROUP BY guild_id"
                "  UNION ALL SELECT guild_id, retired FROM ack_tallies"
                ") GROUP BY guild_id",
                (day, day),
            )
            await tx.execute("DELETE FROM ack_global_snapshots")
            await tx.execute(
                "INSERT INTO ack_global_snapshots (day, total) "
                "SELECT ?, coalesce(sum(total), 0) FROM ack_snapshots WHERE day = ?",
                (day, day),
            )

    # ------------------------------------------------------------- counts
    async def totals(self, guild_id: int, day: str) -> tuple[int | None, int | None]:
        """The latest snapshots on or before `day`: this community's and the total
        across communities (None: no snapshot yet). One query: /metoo count is
        answered from these two numbers only."""
        async with _storage_errors("read the count"):
            row = await self._db.fetchone(
                "SELECT (SELECT total FROM ack_snapshots WHERE guild_id = ? AND day <= ? "
                "        ORDER BY day DESC LIMIT 1), "
                "       (SELECT total FROM ack_global_snapshots WHERE day <= ? "
                "        ORDER BY day DESC LIMIT 1)",
                (guild_id, day, day),
            )
        assert row is not None
        here, everywhere = row
        return (None if here is None else int(here),
                None if everywhere is None else int(everywhere))

    async def snapshot_day(self) -> str | None:
        """The day of the current snapshot, if any."""
        async with _storage_errors("read the count"):
            row = await self._db.fetchone("SELECT max(day) FROM ack_global_snapshots")
        return None if row is None or row[0] is None else str(row[0])
