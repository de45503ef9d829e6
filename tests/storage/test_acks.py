"""The acknowledgement store on a real SQLite file: the minimal row, group commit,
hard deletes, retention folding, snapshots (SPEC section 4, rules 4-7 and 10)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.features.metoo.rules import member_key
from bot.storage import DayCounts, StartOfDay, StorageError, Stores
from bot.storage.sqlite.acks import read_secret_state
from tests.support.acks import (
    file_bytes,
    rows,
)
from tests.support.secrets import SECRET
from tests.support.storage import sqlite_stores, trace

GUILD, OTHER = 1_300_000_000_000_000_001, 1_300_000_000_000_000_002
THIRD, FOURTH = 1_300_000_000_000_000_003, 1_300_000_000_000_000_004


def key(user: int, guild: int = GUILD) -> bytes:
    return member_key(SECRET, guild, user)


@pytest.fixture
async def storage(tmp_path: Path):
    s = sqlite_stores(tmp_path / "db.sqlite3")
    await s.open()
    yield s
    await s.close()


async def test_the_table_holds_exactly_the_minimal_row(storage: Stores) -> None:
    """Rule 4: community id, member key, consent version, UTC day; nothing else."""
    columns = await storage.backend.fetchall("PRAGMA table_info(acknowledgements)")
    assert [(c[1], c[2]) for c in columns] == [
        ("guild_id", "INTEGER"), ("member_key", "BLOB"), ("consent_version", "INTEGER"),
        ("day", "TEXT"),
    ]
    assert [c[1] for c in columns if c[5]] == ["guild_id", "member_key"]  # one per person
    for table in ("ack_tallies", "ack_snapshots", "ack_global_snapshots"):
        names = {c[1] for c in await storage.backend.fetchall(f"PRAGMA table_info({table})")}
        assert names <= {"guild_id", "day", "total", "retired", "included"}, table
    # The CHECKs refuse a time of day and a key that is not 32 bytes.
    for bad in ((GUILD, key(1), 1, "2026-03-10T14:30"), (GUILD, b"\x01" * 8, 1, "2026-03-10")):
        with pytest.raises(StorageError, match="IntegrityError"):
            await storage.backend.execute("INSERT INTO acknowledgements VALUES (?, ?, ?, ?)", bad)


async def test_add_is_idempotent(storage: Stores, tmp_path: Path) -> None:
    assert await storage.acks.add(GUILD, key(1), 1, "2026-03-10") is True
    assert await storage.acks.add(GUILD, key(1), 1, "2026-03-11") is False
    assert rows(tmp_path / "db.sqlite3") == [(GUILD, key(1), 1, "2026-03-10")]
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


async def test_a_failed_batch_tells_every_waiter_and_the_writer_recovers(
    tmp_path: Path,
) -> None:
    storage = sqlite_stores(tmp_path / "db.sqlite3")
    storage.backend.busy_timeout_ms = 100
    await storage.open()
    try:
        blocker = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        results = await asyncio.gather(
            *(storage.acks.add(GUILD, key(u), 1, "2026-03-10") for u in (1, 2, 3)),
            return_exceptions=True,
        )
        assert all(isinstance(r, StorageError) for r in results)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert await storage.acks.add(GUILD, key(1), 1, "2026-03-10") is True
        assert rows(tmp_path / "db.sqlite3") == [(GUILD, key(1), 1, "2026-03-10")]
    finally:
        await storage.close()


async def test_close_commits_what_is_waiting(tmp_path: Path) -> None:
    storage = sqlite_stores(tmp_path / "db.sqlite3")
    await storage.open()
    pending = [asyncio.ensure_future(storage.acks.add(GUILD, key(u), 1, "2026-03-10"))
               for u in range(1, 6)]
    await asyncio.sleep(0)
    await storage.close()
    assert [await p for p in pending] == [True] * 5
    assert len(rows(tmp_path / "db.sqlite3")) == 5
    with pytest.raises(StorageError):
        await storage.acks.add(GUILD, key(9), 1, "2026-03-10")


async def test_remove_is_a_hard_delete_gone_from_the_file_and_the_wal(
    storage: Stores, tmp_path: Path
) -> None:
    """Rule 5: the deleted key's bytes are nowhere on disk afterwards (secure_delete
    zeroes the page; the WAL is checkpointed and truncated)."""
    path = tmp_path / "db.sqlite3"
    await storage.acks.add(GUILD, key(1), 1, "2026-03-10")
    await storage.acks.add(GUILD, key(2), 1, "2026-03-10")
    assert key(1) in file_bytes(path)  # the check below can see a key when it is there
    assert await storage.acks.remove(GUILD, key(1)) is True
    assert key(1) not in file_bytes(path)
    assert key(2) in file_bytes(path)
    assert path.with_name("db.sqlite3-wal").stat().st_size == 0
    assert await storage.acks.remove(GUILD, key(1)) is False


async def test_erase_deletes_a_person_everywhere(storage: Stores, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    for guild in (GUILD, OTHER):
        await storage.acks.add(guild, key(1, guild), 1, "2026-03-10")
        await storage.acks.add(guild, key(2, guild), 1, "2026-03-10")
    communities = await storage.acks.communities_with_rows()
    assert communities == [GUILD, OTHER]
    mine = {g: key(1, g) for g in communities}
    assert [r.guild_id for r in await storage.acks.records(mine)] == [GUILD, OTHER]
    assert await storage.acks.erase(mine) == 2
    assert await storage.acks.records(mine) == []
    assert all(k not in file_bytes(path) for k in mine.values())
    assert len(rows(path)) == 2  # the other person's rows stay


async def test_communities_with_rows_finds_each_once(storage: Stores) -> None:
    guilds = [GUILD + i * 7919 for i in range(30)]
    for i, guild in enumerate(guilds):
        for user in range(1, 2 + i % 4):
            await storage.acks.add(guild, key(user, guild), 1, "2026-03-10")
    assert await storage.acks.communities_with_rows() == sorted(guilds)


async def test_retention_folds_old_rows_into_the_tally(storage: Stores, tmp_path: Path) -> None:
    """Rule 7: rows before the cut-off become a bare number per community, and go."""
    path = tmp_path / "db.sqlite3"
    await storage.acks.add(GUILD, key(1), 1, "2025-01-01")
    await storage.acks.add(GUILD, key(2), 1, "2025-03-09")
    await storage.acks.add(GUILD, key(3), 1, "2025-03-10")  # exactly at the cut-off: stays
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2024-06-01")
    assert await storage.acks.fold_expired("2025-03-10") == 3
    assert rows(path) == [(GUILD, key(3), 1, "2025-03-10")]
    assert rows(path, "ack_tallies") == [(GUILD, 2), (OTHER, 1)]
    assert key(1) not in file_bytes(path)  # folded rows are really gone
    # A second fold adds to the tally.
    assert await storage.acks.fold_expired("2026-01-01") == 1
    assert rows(path, "ack_tallies") == [(GUILD, 3), (OTHER, 1)]
    assert await storage.acks.fold_expired("2026-01-01") == 0


async def test_retention_is_one_transaction(storage: Stores, tmp_path: Path) -> None:
    """If the tally cannot be written, no row is deleted (the count keeps its size)."""
    path = tmp_path / "db.sqlite3"
    await storage.acks.add(GUILD, key(1), 1, "2025-01-01")
    await storage.backend.execute(
        "CREATE TEMP TRIGGER no_tally BEFORE INSERT ON ack_tallies "
        "BEGIN SELECT RAISE(ABORT, 'tally refused'); END")
    with pytest.raises(StorageError):
        await storage.acks.fold_expired("2026-01-01")
    assert len(rows(path)) == 1 and rows(path, "ack_tallies") == []


async def test_the_start_of_the_day_counts_rows_from_earlier_days_and_tallies(
    storage: Stores, tmp_path: Path
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


async def test_the_days_figures_are_stored_once(storage: Stores, tmp_path: Path) -> None:
    """Issue 11 point 3: the first snapshot of a day stays; a second one the same day
    (a restart, another process) changes nothing; the next day replaces it."""
    path = tmp_path / "db.sqlite3"
    assert not await storage.acks.has_snapshot("2026-03-10")
    assert await storage.acks.store_snapshots("2026-03-10", {GUILD: (12, True), OTHER: (3, False)},
                                              14)
    assert await storage.acks.has_snapshot("2026-03-10")
    assert not await storage.acks.store_snapshots("2026-03-10", {GUILD: (99, True)}, 99)
    assert rows(path, "ack_snapshots") == [(GUILD, "2026-03-10", 12, 1),
                                           (OTHER, "2026-03-10", 3, 0)]
    assert rows(path, "ack_global_snapshots") == [("2026-03-10", 14)]
    assert await storage.acks.counts(GUILD, "2026-03-10") == DayCounts("2026-03-10", 12, True, 14)
    assert await storage.acks.counts(THIRD, "2026-03-10") == DayCounts("2026-03-10", None, False,
                                                                       14)
    # Before the next day's job ran, the latest earlier snapshot is read.
    assert (await storage.acks.counts(OTHER, "2026-03-11")).here == 3
    assert await storage.acks.counts(GUILD, "2026-03-09") == DayCounts(None, None, False, None)
    assert await storage.acks.store_snapshots("2026-03-11", {GUILD: (11, True)}, 12)
    assert rows(path, "ack_snapshots") == [(GUILD, "2026-03-11", 11, 1)]
    assert rows(path, "ack_global_snapshots") == [("2026-03-11", 12)]
    assert await storage.acks.snapshot_day() == "2026-03-11"


async def test_counts_are_read_from_snapshots_not_rows(storage: Stores) -> None:
    await storage.acks.add(GUILD, key(1), 1, "2026-03-09")
    await storage.acks.store_snapshots("2026-03-10", {GUILD: (4, False)}, 0)
    statements = await trace(storage)
    await storage.acks.counts(GUILD, "2026-03-10")
    assert statements.seen and not any("acknowledgements" in s for s in statements.seen)


async def test_rotating_the_secret_folds_every_row_in_one_transaction(
    storage: Stores, tmp_path: Path
) -> None:
    """Issue 11 point 6: rows that no secret can link to anyone any more are added
    to their tallies and deleted, with the new fingerprint, all at once; the
    deleted rows do not linger in the WAL."""
    path = tmp_path / "db.sqlite3"
    assert await storage.acks.secret_state() == (None, False)
    await storage.acks.record_secret("old-fingerprint")
    for user in range(1, 4):
        await storage.acks.add(GUILD, key(user), 1, "2026-03-09")
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2026-03-10")
    await storage.acks.fold_expired("2026-03-10")  # GUILD: tally 3, OTHER keeps its row
    await storage.acks.add(GUILD, key(9), 1, "2026-03-10")
    assert await storage.acks.secret_state() == ("old-fingerprint", True)
    assert await storage.acks.rotate_secret("new-fingerprint") == 2
    assert rows(path) == [] and rows(path, "ack_tallies") == [(GUILD, 4), (OTHER, 1)]
    assert await storage.acks.secret_state() == ("new-fingerprint", False)
    assert read_secret_state(path) == ("new-fingerprint", False)
    assert key(9) not in file_bytes(path)
    await storage.acks.add(GUILD, key(1), 1, "2026-03-10")
    assert await storage.acks.rotate_secret(None) == 1
    assert await storage.acks.secret_state() == (None, False)
    assert read_secret_state(tmp_path / "absent.sqlite3") == (None, False)


async def test_delete_community_removes_its_acknowledgement_data(
    storage: Stores, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    await storage.acks.add(GUILD, key(1), 1, "2024-01-01")
    await storage.acks.add(GUILD, key(2), 1, "2026-01-01")
    await storage.acks.add(OTHER, key(1, OTHER), 1, "2026-01-01")
    await storage.acks.fold_expired("2025-01-01")
    await storage.acks.store_snapshots("2026-03-10", {GUILD: (3, False), OTHER: (1, False)}, 0)
    assert await storage.acks.delete_community(GUILD) == 3
    for table in ("acknowledgements", "ack_tallies", "ack_snapshots"):
        assert all(row[0] != GUILD for row in rows(path, table)), table
    assert len(rows(path)) == 1
