"""The SQLite backend: one aiosqlite connection, its PRAGMAs and numbered migrations.

SQLite-only features (PRAGMAs, `user_version`) stay in this module so that a
PostgreSQL backend can follow behind the same store interfaces.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
Params = Sequence[Any] | dict[str, Any]


class StorageError(Exception):
    """The database cannot be used; the message says why, for the operator."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The numbered .sql files of bot/storage/migrations, in order, without gaps."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = re.fullmatch(r"(\d{3})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StorageError(f"migration {expected:03d} is missing")
    return found


def latest_version() -> int:
    return len(migrations())


def split_statements(sql: str) -> list[str]:
    """Split a script into statements, so a migration runs inside one transaction
    (sqlite3's executescript would commit first)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        raise StorageError("a migration ends with an incomplete statement")
    return statements


def create_private_file(path: Path) -> None:
    """Create the database file (and its folder) readable by the owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)


async def _worker_stopped(connection: aiosqlite.Connection) -> None:
    """After a failed connect, aiosqlite stops its worker thread without waiting
    for it; the thread then calls back into the event loop, and if the program
    has exited by then, prints a traceback. Wait for it while the loop runs."""
    thread = connection._thread
    if thread.ident is not None:  # started: the connect was attempted
        await asyncio.to_thread(thread.join, 5)


class Database:
    """One connection, used by one process. All access is serialised by a lock,
    so a transaction never interleaves with another coroutine's statements."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    async def open(self) -> None:
        connecting = aiosqlite.connect(self.path, isolation_level=None)
        try:
            create_private_file(self.path)
            conn = await connecting
        except (OSError, sqlite3.Error) as exc:
            await _worker_stopped(connecting)
            raise StorageError(f"cannot open the database at {self.path}: {exc}") from exc
        self._conn = conn
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            mode = await self._scalar("PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                raise StorageError(f"the database at {self.path} cannot use WAL mode")
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA secure_delete = ON")
            await self._migrate()
        except (sqlite3.Error, StorageError) as exc:
            await self.close()
            if isinstance(exc, StorageError):
                raise
            raise StorageError(f"cannot use the database at {self.path}: {exc}") from exc

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def _scalar(self, sql: str, params: Params = ()) -> Any:
        assert self._conn is not None
        async with self._conn.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def schema_version(self) -> int:
        return int(await self._scalar("PRAGMA user_version"))

    async def _migrate(self) -> None:
        assert self._conn is not None
        current = await self.schema_version()
        pending = [m for m in migrations() if m.version > current]
        if current > latest_version():
            raise StorageError(
                f"the database is at schema {current}, newer than this program "
                f"({latest_version()}); upgrade the bot"
            )
        if not pending:
            return
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for migration in pending:
                    for statement in split_statements(migration.sql):
                        await self._conn.execute(statement)
                    await self._conn.execute(f"PRAGMA user_version = {migration.version}")
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
        log.info("database schema migrated from %d to %d", current, pending[-1].version)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error."""
        conn = self._require()
        async with self._lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(conn)
                await conn.execute("COMMIT")
            except BaseException:
                # Also when COMMIT itself fails (disk full, I/O error): without the
                # rollback the connection would stay inside the transaction and
                # every later BEGIN would fail, so the bot could not recover.
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        conn = self._require()
        async with self._lock, conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        conn = self._require()
        async with self._lock, conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own transaction; returns the rows changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def checkpoint(self) -> None:
        """Fold the WAL into the main file and truncate it, so deleted rows do
        not linger in the -wal file (with secure_delete, pages are zeroed)."""
        conn = self._require()
        async with self._lock:
            await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _require(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn


class Transaction:
    """Statements inside Database.transaction()."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        async with self._conn.executemany(sql, rows) as cursor:
            return cursor.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


def inspect_database(path: Path) -> str:
    """For `python -m bot check`: describe the database at `path`, or raise
    StorageError with a readable reason. Does not create or change anything."""
    if path.exists():
        if not path.is_file():
            raise StorageError(f"{path} exists but is not a file")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StorageError(f"{path} is not readable and writable by this user")
        mode = stat.S_IMODE(path.stat().st_mode)
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StorageError(f"{path} is not a usable SQLite database: {exc}") from exc
        if version > latest_version():
            raise StorageError(f"{path} is at schema {version}, newer than this program")
        note = "" if mode & 0o077 == 0 else f" (warning: mode {mode:o}, expected 600)"
        return f"database {path}: schema {version} of {latest_version()}{note}"
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not _can_create_in(folder):
        raise StorageError(f"cannot create {path}: {folder} is not a writable folder")
    return f"database {path}: does not exist yet; it will be created"


def _can_create_in(folder: Path) -> bool:
    """Whether a folder and a file can be created in `folder`, found by creating
    them and removing them at once. os.access() is not enough: for root it says
    yes to any folder, /proc included, where the bot's start would then fail."""
    try:
        probe = Path(tempfile.mkdtemp(prefix=".metoo-check-", dir=folder))
    except OSError:
        return False
    try:
        (probe / "probe").touch()
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)
