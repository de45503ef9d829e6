"""The store of "me too" acknowledgements, their anonymous tallies and daily snapshots.

Every SQL statement about acknowledgements lives here, under the privacy rules:

- a row is exactly (community id, member key, consent version, UTC day);
- adding and withdrawing go through one writer task that commits every waiting
  request in one transaction (one fsync for many confirmations: group commit),
  and resolves each caller only after COMMIT;
- deletions are hard deletes followed by a WAL checkpoint (secure_delete is on),
  retried in the background while another connection blocks it;
- counts are read from the snapshot tables written once a day, never by
  counting rows per request; an acknowledgement writes its own row only;
  the day's figures (with their noise, computed by the caller) are stored
  once and never replaced the same day;
- the fingerprint of ACK_SECRET (never the secret) lives in the meta table,
  and rotating the secret folds every row into the anonymous tallies.

Nothing here imports discord. Member keys, noise and fingerprints are computed
by the caller (the metoo feature's rules); this module never sees a user id.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.storage.cache import Caches
from bot.storage.errors import StorageError
from bot.storage.records import (
    ACK_BATCH_MAX,
    KEY_BYTES,
    SECRET_FINGERPRINT,
    AckRecord,
    DayCounts,
    StartOfDay,
)
from bot.storage.sqlite.backend import Database, Transaction

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

# Every community the daily job draws a figure for: those holding rows from
# before the day or a tally, and those with counting on (their figure is noise
# around zero, exactly as if they held rows: an empty community looks like any).
_START_OF_DAY = """
SELECT c.guild_id,
       coalesce(r.number, 0) + coalesce(t.retired, 0),
       coalesce(s.acknowledgements_enabled, 0),
       s.threshold
FROM (SELECT guild_id FROM acknowledgements WHERE day < :day
      UNION SELECT guild_id FROM ack_tallies
      UNION SELECT guild_id FROM community_settings WHERE acknowledgements_enabled = 1) AS c
LEFT JOIN (SELECT guild_id, count(*) AS number FROM acknowledgements WHERE day < :day
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


def _check(guild_id: int, member_key: bytes) -> None:
    if not isinstance(member_key, bytes) or len(member_key) != KEY_BYTES:
        raise ValueError("a member key is 32 bytes")
    if not isinstance(guild_id, int) or guild_id <= 0:
        raise ValueError("a community id is a positive integer")


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
            while len(batch) < ACK_BATCH_MAX and not queue.empty():
                more = queue.get_nowait()
                if more is _STOP:
                    stopping = True
                    break
                batch.append(more)
            await self._commit(batch)

    async def _commit(self, batch: list[_Request]) -> None:
        try:
            changed = await self._db.batch([
                ("INSERT INTO acknowledgements (guild_id, member_key, consent_version, day) "
                 "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, member_key) DO NOTHING",
                 (r.guild_id, r.member_key, r.consent_version, r.day)) if r.kind == "add"
                else ("DELETE FROM acknowledgements WHERE guild_id = ? AND member_key = ?",
                      (r.guild_id, r.member_key))
                for r in batch
            ])
            results = [rows > 0 for rows in changed]
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
        row = await self._db.fetchone(
            "SELECT 1 FROM acknowledgements WHERE guild_id = ? AND member_key = ?",
            (guild_id, member_key),
        )
        return row is not None

    async def communities_with_rows(self) -> list[int]:
        """The communities that hold at least one acknowledgement (to recompute a
        person's keys for export and erasure)."""
        rows = await self._db.fetchall(_COMMUNITIES_WITH_ROWS)
        return [int(row[0]) for row in rows]

    async def records(self, keys: Mapping[int, bytes]) -> list[AckRecord]:
        """The rows of one person: `keys` maps each community id to their key there."""
        found = []
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
        async with self._db.transaction() as tx:
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
        self._caches.counts.drop(guild_id)
        async with self._db.transaction() as tx:
            for table in ("acknowledgements", "ack_tallies", "ack_snapshots"):
                deleted += await tx.execute(f"DELETE FROM {table} WHERE guild_id = ?",
                                            (guild_id,))
        await self._checkpoint()
        self._caches.counts.drop(guild_id)
        return deleted

    # ------------------------------------------------ the daily job's work
    async def fold_expired(self, before_day: str) -> int:
        """Retention (no row older than ACK_RETENTION_DAYS): in one transaction, add
        the number of rows whose day is before `before_day` to each community's
        anonymous tally, and delete those rows. Returns the number of rows folded."""
        async with self._db.transaction() as tx:
            deleted = await _fold(tx, before_day)
        if deleted:
            await self._checkpoint()
        return deleted

    async def has_snapshot(self, day: str) -> bool:
        """Whether the figures of `day` were taken (they are taken once)."""
        row = await self._db.fetchone(
            "SELECT 1 FROM ack_global_snapshots WHERE day = ?", (day,))
        return row is not None

    async def start_of_day(self, day: str) -> list[StartOfDay]:
        """Each community's count at the start of `day` (its rows from earlier days
        plus its anonymous tally) with its counting settings, for the daily job."""
        # Every row is counted: on a connection of its own, so that answers and
        # writes do not wait behind it.
        found = await self._db.fetchall_apart(_START_OF_DAY, {"day": day})
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
        self._caches.new_snapshot()  # a count read meanwhile is not kept
        async with self._db.transaction() as tx:
            taken = await tx.execute(
                "INSERT INTO ack_global_snapshots (day, total) VALUES (?, ?) "
                "ON CONFLICT (day) DO NOTHING", (day, everywhere))
            if not taken:
                return False
            await tx.execute("DELETE FROM ack_global_snapshots WHERE day <> ?", (day,))
            await tx.execute("DELETE FROM ack_snapshots")
            await tx.executemany(
                "INSERT INTO ack_snapshots (guild_id, day, total, included) VALUES (?, ?, ?, ?)",
                [(guild_id, day, value, int(included))
                 for guild_id, (value, included) in sorted(communities.items())])
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
            "(SELECT day, total FROM ack_global_snapshots WHERE day <= :d "
            " ORDER BY day DESC LIMIT 1) AS g "
            "LEFT JOIN ack_snapshots AS s ON s.guild_id = :g AND s.day = g.day",
            {"g": guild_id, "d": day},
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
        row = await self._db.fetchone(_SECRET_STATE, (SECRET_FINGERPRINT,))
        assert row is not None
        return (None if row[0] is None else str(row[0])), bool(row[1])

    async def record_secret(self, fingerprint: str) -> None:
        """Remember the fingerprint of the secret the rows are made with."""
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (SECRET_FINGERPRINT, fingerprint))

    async def rotate_secret(self, fingerprint: str | None) -> int:
        """After ACK_SECRET changed: in one transaction, fold every row (none can
        be linked to anyone any more) into its community's anonymous tally,
        delete the rows, and record the new secret's fingerprint (None: no
        secret). Then checkpoint the WAL. Returns the number of rows folded."""
        async with self._db.transaction() as tx:
            folded = await _fold(tx, None)
            if fingerprint is None:
                await tx.execute("DELETE FROM meta WHERE key = ?", (SECRET_FINGERPRINT,))
            else:
                await tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (SECRET_FINGERPRINT, fingerprint))
        if folded:
            await self._checkpoint()
        return folded


_SECRET_STATE = ("SELECT (SELECT value FROM meta WHERE key = ?), "
                 "EXISTS (SELECT 1 FROM acknowledgements)")


async def _fold(tx: Transaction, before_day: str | None) -> int:
    """Add the rows whose day is before `before_day` (None: every row) to their
    community's tally and delete them; the numbers must match or all rolls back."""
    where, params = ("WHERE day < ?", (before_day,)) if before_day is not None else ("", ())
    per_community = await tx.fetchall(
        f"SELECT guild_id, count(*) FROM acknowledgements {where} GROUP BY guild_id", params)
    for guild_id, number in per_community:
        await tx.execute(
            "INSERT INTO ack_tallies (guild_id, retired) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET retired = retired + excluded.retired",
            (guild_id, number),
        )
    deleted = await tx.execute(f"DELETE FROM acknowledgements {where}", params)
    if deleted != sum(number for _, number in per_community):
        raise StorageError("counted and deleted different numbers of rows")
    return deleted


def read_secret_state(path: Path) -> tuple[str | None, bool]:
    """For `python -m bot check`: the stored fingerprint and whether rows exist,
    read without changing anything (no file: nothing stored yet)."""
    if not path.is_file():
        return None, False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute(_SECRET_STATE, (SECRET_FINGERPRINT,)).fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # not created yet: nothing is stored
            return None, False
        raise StorageError(f"cannot read {path}: {exc}") from exc
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read {path}: {exc}") from exc
    return (None if row[0] is None else str(row[0])), bool(row[1])
