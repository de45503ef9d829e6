"""The storage layer on a temporary file: PRAGMAs, migrations, permissions, stores."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.storage import StorageError, Stores
from bot.storage.sqlite.backend import Database, inspect_database, latest_version, split_statements
from tests.support.storage import sqlite_stores


@pytest.fixture
async def storage(tmp_path: Path):
    s = sqlite_stores(tmp_path / "nested" / "folder" / "db.sqlite3")
    await s.open()
    yield s
    await s.close()


async def test_file_and_folder_are_created_private(storage: Stores) -> None:
    path = storage.backend.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


async def test_an_existing_database_is_made_private_at_open(tmp_path: Path) -> None:
    """Issue 11, point 11: a file copied, restored or made by an older version with a
    wide umask loses every group and other permission, its -wal and -shm too."""
    path = tmp_path / "db.sqlite3"
    first = sqlite_stores(path)
    await first.open()
    await first.meta.set("k", "v")
    await first.close()
    wal = path.with_name("db.sqlite3-wal")
    wal.write_bytes(b"")  # as a crash would leave it
    for file in (path, wal):
        file.chmod(0o664)
    again = sqlite_stores(path)
    await again.open()
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
        assert await again.meta.get("k") == "v"
    finally:
        await again.close()


async def test_pragmas(storage: Stores) -> None:
    db = storage.backend
    assert str(await db._scalar("PRAGMA journal_mode")).lower() == "wal"
    assert await db._scalar("PRAGMA synchronous") == 2  # FULL
    assert await db._scalar("PRAGMA foreign_keys") == 1
    assert await db._scalar("PRAGMA secure_delete") == 1
    assert await db._scalar("PRAGMA busy_timeout") >= 1000


async def test_migrations_are_applied_once_and_tracked(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    for _ in range(2):  # a second open finds nothing to do
        db = Database(path)
        await db.open()
        assert await db.schema_version() == latest_version() >= 1
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {
            "meta",
            "community_settings",
            "community_resources",
            "acknowledgements",
            "ack_tallies",
            "ack_snapshots",
        } <= tables
        await db.close()


async def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    from bot.storage.sqlite import backend as database

    good = database.migrations()
    broken = [
        *good,
        database.Migration(
            len(good) + 1, "broken", "CREATE TABLE extra (x INTEGER);\nNOT SQL AT ALL;"
        ),
    ]
    monkeypatch.setattr(database, "migrations", lambda: broken)
    monkeypatch.setattr(database, "latest_version", lambda: len(broken))
    path = tmp_path / "db.sqlite3"
    with pytest.raises(StorageError):
        await Database(path).open()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()


def test_split_statements_keeps_semicolons_inside_strings() -> None:
    sql = "-- a comment\nCREATE TABLE t (x TEXT DEFAULT ';');\nINSERT INTO t VALUES ('a;b');\n"
    assert split_statements(sql) == [
        "-- a comment\nCREATE TABLE t (x TEXT DEFAULT ';');",
        "INSERT INTO t VALUES ('a;b');",
    ]


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        await Database(path).open()


def test_inspect_database(tmp_path: Path) -> None:
    assert "will be created" in inspect_database(tmp_path / "new" / "db.sqlite3")
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(StorageError, match="not a file"):
        inspect_database(folder)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="not a writable folder"):
        inspect_database(blocker / "db.sqlite3")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite"):
        inspect_database(garbage)


async def test_a_second_process_on_the_same_file_is_refused(tmp_path: Path) -> None:
    """SQLite serves one bot process; a second one (a shard process started on the
    same file) is refused with one line that says what to do. The lock goes with
    the holder: closing it (or its death) frees the file."""
    path = tmp_path / "db.sqlite3"
    first = sqlite_stores(path)
    await first.open()
    second = sqlite_stores(path)
    try:
        with pytest.raises(StorageError) as refused:
            await second.open()
        message = str(refused.value)
        assert "in use by another bot process" in message and "PostgreSQL" in message
        assert "\n" not in message
        assert f"(process {os.getpid()})" in message
    finally:
        await first.close()
    await second.open()  # free again
    await second.close()
