"""The acknowledgement store on a real database, SQLite and PostgreSQL alike: the
minimal row, group commit, hard deletes, retention folding, snapshots, durability."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable

import pytest

from bot.features.metoo.rules import member_key
from bot.storage import (
    DatabaseUrl,
    DayCounts,
    StartOfDay,
    StorageError,
    Stores,
    cache,
    read_secret_state,
)
from tests.support.backends import ONLY_POSTGRES, TestDatabase
from tests.support.secrets import SECRET
from tests.support.storage import trace

pytestmark = pytest.mark.both_backends

# The schema refused a value: sqlite3's IntegrityError, or asyncpg's CheckViolationError.
REFUSED = r"IntegrityError|ViolationError"

GUILD, OTHER = 1_300_000_000_000_000_001, 1_300_000_000_000_000_002
THIRD, FOURTH = 1_300_000_000_000_000_003, 1_300_000_000_000_000_004


def key(user: int, guild: int = GUILD) -> bytes:
    return member_key(SECRET, guild, user)


@pytest.fixture
async def storage(database: TestDatabase) -> AsyncIterator[Stores]:
    s = database.stores()
    await s.open()
    yield s
    await s.close()


async def test_the_table_holds_exactly_the_minimal_row(
    storage: Stores, database: TestDatabase
) -> None:
    """Rule 4: community id, member key, consent version, UTC day; nothing else."""
    assert database.columns("acknowledgements") == [
        "guild_id", "member_key", "consent_version", "day"]
    assert database.primary_key("acknowledgements") == ["guild_id", "member_key"]  # one per person
    for table in ("ack_tallies", "ack_snapshots", "ack_global_snapshots"):
        assert set(database.columns(table)) <= {"guild_id", "day", "total", "retired",
                                                 "included"}, table
    # The CHECKs refuse a time of day and a key that is not 32 bytes.
    for bad in ((GUILD, key(1), 1, "2026-03-10T14:30"), (GUILD, b"\x01" * 8, 1, "2026-03-10")):
        with pytest.raises(StorageError, match=REFUSED) as refused:
            await database.execute(storage, "INSERT INTO acknowledgements VALUES (?, ?, ?, ?)",
                                   *bad)
        assert "\\x01" not in str(refused.value)  # the refused row is not repeated


async def test_add_is_idempotent(storage: Stores, database: TestDatabase) -> None:
    assert await storage.acks.add(GUILD, key(1), 1, "2026-03-10") is True
    assert await storage.acks.add(GUILD, key(1), 1, "2026-03-11") is False
    assert database.rows() == [(GUILD, key(1), 1, "2026-03-10")]
    assert await storage.acks.has(GUILD, key(1)) and not await storage.acks.has(OTHER, key(1))


async def test_concurrent_confirmations_share_one_commit(storage: Stores) -> None:
    """Group commit: everything waiting when the writer starts goes in one
    transaction (one fsync), and every caller learns its own result."""
    statements = await trace(storage)
    users = list(range(1, 51))
    results = await asyncio.gather(
        *(storage.acks.add(GUILD, key(u), 1, "2026-03-10") for u in users),
        storage.acks.add(GUILD, key(7), 1, "2026-03-10"),  # a double click in the same batch
    )
    assert results == [True] * 50 + [False]
    assert storage.acks.commits == 1
    assert statements.seen.count("COMMIT") == 1
    # An acknowledgement writes its own row and nothing shared (rule 6).
    assert {s.split(" (")[0] for s in statements.writes()} == {"INSERT INTO acknowledgements"}
    (count,) = await storage.backend.fetchone("SELECT count(*) FROM acknowledgements")
    assert count == 50


def block_writes(database: TestDatabase) -> Callable[[], None]:
    """Make every write of acknowledgements fail for now (SQLite: another writer
    holds the lock; PostgreSQL: the table refuses every new row); returns the undo."""
    if database.kind == "sqlite":
        blocker = sqlite3.connect(database.path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")

        def undo() -> None:
            blocker.execute("ROLLBACK")
            blocker.close()
        return undo
    database.admin("ALTER TABLE acknowledgements ADD CONSTRAINT refuse CHECK (false) NOT VALID")
    return lambda: database.admin("ALTER TABLE acknowledgements DROP CONSTRAINT refuse")


async def test_a_failed_batch_tells_every_waiter_and_the_writer_recovers(
    database: TestDatabase,
) -> None:
    storage = database.stores()
    if database.kind == "sqlite":
        storage.backend.busy_timeout_ms = 100  # type: ignore[attr-defined]
    await storage.open()
    try:
        undo = block_writes(database)
        results = await asyncio.gather(
            *(storage.acks.add(GUILD, key(u), 1, "2026-03-10") for u in (1, 2, 3)),
            return_exceptions=True,
        )
        assert all(isinstance(r, StorageError) for r in results)
        undo()
        assert await storage.acks.add(GUILD, key(1), 1, "2026-03-10") is True
        assert database.rows() == [(GUILD, key(1), 1, "2026-03-10")]
    finally:
        await storage.close()


async def test_close_commits_what_is_waiting(database: TestDatabase) -> None:
    storage = database.stores()
    await storage.open()
    pending = [asyncio.ensure_future(storage.acks.add(GUILD, key(u), 1, "2026-03-10"))
               for u in range(1, 6)]
    await asyncio.sleep(0)
    await storage.close()
    assert [await p for p in pending] == [True] * 5
    assert len(database.rows()) == 5
    with pytest.raises(StorageError):
        await storage.acks.add(GUILD, key(9), 1, "2026-03-10")


async def test_remove_is_a_hard_delete_gone_from_the_storage(
    storage: Stores, database: TestDatabase
) -> None:
    """Rule 5: the deleted key's row is gone from the storage afterwards. SQLite:
    its bytes are nowhere on disk (secure_delete zeroes the page; the WAL is
    checkpointed and truncated before the answer). PostgreSQL: no version of the
    row is left in the table's pages (VACUUM, after the answer)."""
    await storage.acks.add(GUILD, key(1), 1, "2026-03-10")
    await storage.acks.add(GUILD, key(2), 1, "2026-03-10")
    assert database.holds(key(1))  # the check below can see a key when it is there
    assert await storage.acks.remove(GUILD, key(1)) is True
    assert await database.gone(key(1))
    assert database.holds(key(2))
    if database.path is not None:
        assert database.path.with_name(database.path.name + "-wal").stat().st_size == 0
    assert await storage.acks.remove(GUILD, key(1)) is False


async def test_erase_deletes_a_person_everywhere(storage: Stores, database: TestDatabase) -> None:
    for guild in (GUILD, OTHER):
        await storage.acks.add(guild, key(1, guild), 1, "2026-03-10")
        await storage.acks.add(guild, key(2, guild), 1, "2026-03-10")
    communities = await storage.acks.communities_with_rows()
    assert communities == [GUILD, OTHER]
    mine = {g: key(1, g) for g in communities}
    assert [r.guild_id for r in await storage.acks.records(mine)] == [GUILD, OTHER]
    assert await storage.acks.erase(mine) == 2
    assert await storage.acks.records(mine) == []
    for k in mine.values():
        assert await database.gone(k)
    assert len(database.rows()) == 2  # the other person's rows stay


async def test_communities_with_rows_finds_each_once(storage: Stores) -> None:
    guilds = [GUILD + i * 7919 for i in range(30)]
    for i, guild in enumerate(guilds):
        for user in range(1, 2 + i % 4):
            await storage.acks.add(guild, key(user, guild), 1, "2026-03-10")
    assert await storage.acks.communities_with_rows() == sorted(guilds)


async def test_retention_folds_old_rows_into_the_tally(
    storage: Stores, database: TestDatabase
) -> None:
    """Rule 7: rows before the cut-off become a bare number per community, and go."""
    await storage.acks.add(GUILD, key(1), 1, "2025-01-01")
    await storage.acks.add(GUILD, key(2), 1, "2025-03-09")
    await storage.acks.add(GUILD, key(3), 1, "2025-03-10")  # exactly at the cut-off: stays
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2024-06-01")
    assert await storage.acks.fold_expired("2025-03-10") == 3
    assert database.rows() == [(GUILD, key(3), 1, "2025-03-10")]
    assert database.rows("ack_tallies") == [(GUILD, 2), (OTHER, 1)]
    assert await database.gone(key(1))  # folded rows are really gone
    # A second fold adds to the tally.
    assert await storage.acks.fold_expired("2026-01-01") == 1
    assert database.rows("ack_tallies") == [(GUILD, 3), (OTHER, 1)]
    assert await storage.acks.fold_expired("2026-01-01") == 0


async def test_retention_is_one_transaction(storage: Stores, database: TestDatabase) -> None:
    """If the tally cannot be written, no row is deleted (the count keeps its size)."""
    await storage.acks.add(GUILD, key(1), 1, "2025-01-01")
    if database.kind == "sqlite":
        await storage.backend.execute(  # type: ignore[attr-defined]
            "CREATE TEMP TRIGGER no_tally BEFORE INSERT ON ack_tallies "
            "BEGIN SELECT RAISE(ABORT, 'tally refused'); END")
    else:
        database.admin("ALTER TABLE ack_tallies ADD CONSTRAINT no_tally CHECK (false) NOT VALID")
    with pytest.raises(StorageError):
        await storage.acks.fold_expired("2026-01-01")
    assert len(database.rows()) == 1 and database.rows("ack_tallies") == []


async def test_the_start_of_the_day_counts_rows_from_earlier_days_and_tallies(
    storage: Stores,
) -> None:
    """Rule 6: what the daily job draws figures for: each community's rows from
    before the day plus its tally, with its settings; a community with counting
    on and nothing stored too (its figure is then noise around zero)."""
    for user in range(1, 13):
        await storage.acks.add(GUILD, key(user), 1, "2026-03-09")
    await storage.acks.add(GUILD, key(13), 1, "2026-03-10")  # today: not yet counted
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2024-01-01")
    await storage.acks.fold_expired("2025-01-01")  # OTHER: tally 1, no rows
    await storage.communities.update(GUILD, acknowledgements_enabled=True, threshold=15)
    await storage.communities.update(THIRD, acknowledgements_enabled=True)
    await storage.communities.update(FOURTH, country="GB")  # counting off, nothing stored
    assert await storage.acks.start_of_day("2026-03-10") == [
        StartOfDay(GUILD, 12, True, 15), StartOfDay(OTHER, 1, False, None),
        StartOfDay(THIRD, 0, True, 10)]


async def test_the_days_figures_are_stored_once(storage: Stores, database: TestDatabase) -> None:
    """Issue 11 point 3: the first snapshot of a day stays; a second one the same day
    (a restart, another process) changes nothing; the next day replaces it."""
    assert not await storage.acks.has_snapshot("2026-03-10")
    assert await storage.acks.store_snapshots("2026-03-10", {GUILD: (12, True), OTHER: (3, False)},
                                              14)
    assert await storage.acks.has_snapshot("2026-03-10")
    assert not await storage.acks.store_snapshots("2026-03-10", {GUILD: (99, True)}, 99)
    assert database.rows("ack_snapshots") == [(GUILD, "2026-03-10", 12, 1),
                                              (OTHER, "2026-03-10", 3, 0)]
    assert database.rows("ack_global_snapshots") == [("2026-03-10", 14)]
    assert await storage.acks.counts(GUILD, "2026-03-10") == DayCounts("2026-03-10", 12, True, 14)
    assert await storage.acks.counts(THIRD, "2026-03-10") == DayCounts("2026-03-10", None, False,
                                                                       14)
    # Before the next day's job ran, the latest earlier snapshot is read.
    assert (await storage.acks.counts(OTHER, "2026-03-11")).here == 3
    assert await storage.acks.counts(GUILD, "2026-03-09") == DayCounts(None, None, False, None)
    assert await storage.acks.store_snapshots("2026-03-11", {GUILD: (11, True)}, 12)
    assert database.rows("ack_snapshots") == [(GUILD, "2026-03-11", 11, 1)]
    assert database.rows("ack_global_snapshots") == [("2026-03-11", 12)]
    assert await storage.acks.snapshot_day() == "2026-03-11"


async def test_counts_are_read_from_snapshots_not_rows(storage: Stores) -> None:
    await storage.acks.add(GUILD, key(1), 1, "2026-03-09")
    await storage.acks.store_snapshots("2026-03-10", {GUILD: (4, False)}, 0)
    statements = await trace(storage)
    await storage.acks.counts(GUILD, "2026-03-10")
    assert statements.seen and not any("acknowledgements" in s for s in statements.seen)


async def test_rotating_the_secret_folds_every_row_in_one_transaction(
    storage: Stores, database: TestDatabase
) -> None:
    """Issue 11 point 6: rows that no secret can link to anyone any more are added
    to their tallies and deleted, with the new fingerprint, all at once; the
    deleted rows do not linger in the storage."""
    assert await storage.acks.secret_state() == (None, False)
    await storage.acks.record_secret("old-fingerprint")
    for user in range(1, 4):
        await storage.acks.add(GUILD, key(user), 1, "2026-03-09")
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2026-03-10")
    await storage.acks.fold_expired("2026-03-10")  # GUILD: tally 3, OTHER keeps its row
    await storage.acks.add(GUILD, key(9), 1, "2026-03-10")
    assert await storage.acks.secret_state() == ("old-fingerprint", True)
    assert await storage.acks.rotate_secret("new-fingerprint") == 2
    assert database.rows() == [] and database.rows("ack_tallies") == [(GUILD, 4), (OTHER, 1)]
    assert await storage.acks.secret_state() == ("new-fingerprint", False)
    assert read_secret_state(database.url) == ("new-fingerprint", False)
    assert await database.gone(key(9))
    await storage.acks.add(GUILD, key(1), 1, "2026-03-10")
    assert await storage.acks.rotate_secret(None) == 1
    assert await storage.acks.secret_state() == (None, False)
    # A database with nothing stored yet (no file; no tables).
    if database.kind == "sqlite":
        assert database.path is not None
        empty = DatabaseUrl.sqlite(database.path.with_name("absent.sqlite3"))
    else:
        assert database.server is not None
        empty = DatabaseUrl.postgresql(database.server.url("postgres"))
    assert read_secret_state(empty) == (None, False)


async def test_delete_community_removes_its_acknowledgement_data(
    storage: Stores, database: TestDatabase
) -> None:
    await storage.acks.add(GUILD, key(1), 1, "2024-01-01")
    await storage.acks.add(GUILD, key(2), 1, "2026-01-01")
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2026-01-01")
    await storage.acks.fold_expired("2025-01-01")
    await storage.acks.store_snapshots("2026-03-10", {GUILD: (3, False), OTHER: (1, False)}, 0)
    assert await storage.acks.delete_community(GUILD) == 3
    for table in ("acknowledgements", "ack_tallies", "ack_snapshots"):
        assert all(row[0] != GUILD for row in database.rows(table)), table
    assert len(database.rows()) == 1


async def test_the_days_counts_are_kept_in_memory_until_a_write_changes_them(
    storage: Stores, database: TestDatabase
) -> None:
    """The counts follow the stores' one cache policy (bot/storage/cache.py): after
    the first read of a community's figures of the day, no statement runs; the
    day's snapshot, forgetting the community and deleting its data drop them."""
    assert await storage.acks.store_snapshots("2026-03-10", {GUILD: (12, True)}, 14)
    assert await storage.acks.counts(GUILD, "2026-03-10") == DayCounts("2026-03-10", 12, True, 14)
    statements = await trace(storage)
    for _ in range(3):
        assert await storage.acks.counts(GUILD, "2026-03-10") == DayCounts(
            "2026-03-10", 12, True, 14)
    assert statements.seen == []

    assert await storage.acks.store_snapshots("2026-03-11", {GUILD: (20, True)}, 25)
    assert await storage.acks.counts(GUILD, "2026-03-11") == DayCounts("2026-03-11", 20, True, 25)
    await storage.communities.forget(GUILD)
    assert await storage.acks.counts(GUILD, "2026-03-11") == DayCounts(
        "2026-03-11", None, False, 25)
    await database.execute(storage, "INSERT INTO ack_snapshots (guild_id, day, total) "
                           "VALUES (?, '2026-03-11', 7)", GUILD)
    assert (await storage.acks.counts(GUILD, "2026-03-11")).here is None  # kept: no write of ours
    await storage.acks.delete_community(GUILD)
    assert await storage.acks.counts(GUILD, "2026-03-11") == DayCounts(
        "2026-03-11", None, False, 25)


@ONLY_POSTGRES
async def test_counts_of_an_earlier_day_are_read_again_until_the_days_are_taken(
    storage: Stores, database: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (a shard process; SQLite serves one process only) may take
    the day's snapshot: until the figures of the day asked for exist, the latest
    earlier ones are kept for RECHECK_SECONDS only."""
    assert await storage.acks.store_snapshots("2026-03-10", {GUILD: (12, True)}, 14)
    assert (await storage.acks.counts(GUILD, "2026-03-11")).day == "2026-03-10"
    statements = await trace(storage)
    assert (await storage.acks.counts(GUILD, "2026-03-11")).day == "2026-03-10"
    assert statements.seen == []  # within RECHECK_SECONDS: from memory
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 0.0)
    other_process = database.stores()
    await other_process.open()
    try:
        assert await other_process.acks.store_snapshots("2026-03-11", {GUILD: (30, True)}, 31)
    finally:
        await other_process.close()
    assert await storage.acks.counts(GUILD, "2026-03-11") == DayCounts("2026-03-11", 30, True, 31)
