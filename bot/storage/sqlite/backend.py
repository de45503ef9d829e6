"""The SQLite backend: one aiosqlite connection, its PRAGMAs and numbered migrations.

SQLite-only features (PRAGMAs, `user_version`) stay in this module so that a
PostgreSQL backend can follow behind the same store interfaces.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import logging
import math
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosqlite

from bot.storage.errors import StorageError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# The niceness of the thread of a long read apart (the daily job's count).
APART_NICENESS = 19

# Erasure (a deleted row leaves every file on disk): the write-ahead log is
# checkpointed and truncated after every deletion and every
# CHECKPOINT_INTERVAL_SECONDS, so the -wal file keeps neither deleted rows nor the
# order and time of recent writes. Another connection in a read transaction (a backup, the sqlite3
# shell) blocks a checkpoint: it is then retried with a back-off doubling from
# the first to the longest delay, and logged at most once per
# CHECKPOINT_LOG_EVERY_SECONDS while it stays blocked.
CHECKPOINT_INTERVAL_SECONDS = 60.0
CHECKPOINT_RETRY_FIRST_SECONDS = 0.25
CHECKPOINT_RETRY_LONGEST_SECONDS = 15.0
CHECKPOINT_LOG_EVERY_SECONDS = 60.0

# A database that cannot be written at start-up is opened for reading only (the
# bot still answers what only reads); it then checks this often whether it can
# write again.
WRITABLE_RETRY_SECONDS = 10.0

# SQLite's primary result codes that mean "this file or its folder cannot be
# written" (extended codes such as SQLITE_READONLY_DIRECTORY share them).
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
_SQLITE_BUSY = 5

Params = Sequence[Any] | dict[str, Any]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The numbered .sql files of bot/storage/sqlite/migrations, in order, without gaps."""
    found = []
    for entry in resources.files("bot.storage.sqlite.migrations").iterdir():
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
    """Create the database file (and its folder) readable by the owner only. An
    existing file loses any group and other permission (it may come from a copy, a
    restore or an older version run with a wide umask), and its -wal and -shm get
    the same mode, as SQLite gives them when it creates them."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        return
    if not path.is_file():  # a folder or a device: its mode is not ours to change
        raise OSError(f"{path} is not a file")
    # Owner bits are kept: a file the operator made read-only stays read-only.
    private = stat.S_IMODE(path.stat().st_mode) & 0o600
    for file in (path, sidecar(path, "-wal"), sidecar(path, "-shm")):
        _set_mode(file, private)


def sidecar(path: Path, suffix: str) -> Path:
    """The companion files of a database: SQLite's `-wal` and `-shm`, and the
    bot's `.lock`."""
    return path.with_name(path.name + suffix)


def _read_pid(fd: int) -> int | None:
    """The process id written in a lock file, if it holds one."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _set_mode(file: Path, private: int) -> None:
    try:
        mode = stat.S_IMODE(file.stat().st_mode)
    except FileNotFoundError:
        return
    if mode == private:
        return
    try:
        os.chmod(file, private)
    except OSError as exc:
        if mode & 0o077:
            log.warning("%s is readable by others (mode %o) and could not be made private: "
                        "%s", file, mode, exc.strerror)
        return
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); now mode %o", file, mode, private)


@contextlib.contextmanager
def _driver_errors(doing: str) -> Iterator[None]:
    """sqlite3 errors (locked, read-only, full, corrupt) leave this package as
    StorageError; the message is for the operator and names no person."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"could not {doing}: {type(exc).__name__}: {exc}") from exc


class _CannotWrite(Exception):
    """The file or its folder is read-only (a permission, a read-only mount)."""


def _is_read_only(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (_SQLITE_READONLY, _SQLITE_CANTOPEN)


def _is_busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF == _SQLITE_BUSY


async def _scalar_of(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> Any:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


def _newer_schema(version: int) -> StorageError:
    return StorageError(
        f"the database is at schema {version}, newer than this program "
        f"({latest_version()}); upgrade the bot"
    )


async def _worker_stopped(connection: aiosqlite.Connection) -> None:
    """After a failed connect, aiosqlite stops its worker thread without waiting
    for it; the thread then calls back into the event loop, and if the program
    has exited by then, prints a traceback. Wait for it while the loop runs."""
    thread = connection._thread
    if thread.ident is not None:  # started: the connect was attempted
        await asyncio.to_thread(thread.join, 5)


class Database:
    """One connection, used by one process. All access is serialised by a lock,
    so a transaction never interleaves with another coroutine's statements.

    A background task keeps the write-ahead log short (checkpoints, retried while
    another connection blocks them) and, when the database could only be opened
    for reading, checks whether it became writable. Until then `degraded_reason`
    says why changes are refused."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.degraded_reason: str | None = None
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._held: int | None = None  # the lock file's descriptor while this process holds it

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    async def open(self) -> None:
        """Open for reading and writing, migrated to the latest schema. When the
        file or its folder is read-only, open for reading only (degraded) if the
        schema is current; otherwise raise StorageError with the reason."""
        try:
            create_private_file(self.path)
        except OSError as exc:
            raise StorageError(f"cannot open the database at {self.path}: {exc}") from exc
        self._hold_file()
        try:
            try:
                self._conn = await self._connect_writable()
            except _CannotWrite as exc:
                self._conn = await self._connect_read_only(str(exc))
                self.degraded_reason = f"the database is read-only ({exc})"
                log.warning(
                    "the database at %s cannot be written (%s); starting degraded: commands "
                    "that only read answer, changes are refused kindly, and every %g s the bot "
                    "checks whether it can write again", self.path, exc, WRITABLE_RETRY_SECONDS)
        except BaseException:
            self._release_file()
            raise
        self._task = asyncio.create_task(self._maintain(), name="database-maintenance")

    def _hold_file(self) -> None:
        """Refuse a database that another running process holds; else hold it
        until close(). SQLite serves one bot process: several shard processes
        need PostgreSQL. The lock is the kernel's (flock) on a file beside the
        database, so it goes with the process, even one killed with SIGKILL."""
        lock = sidecar(self.path, ".lock")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            try:  # a lock file left in a folder that became read-only
                fd = os.open(lock, os.O_RDONLY)
            except OSError:
                return  # a read-only folder without one: no process can write here
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_pid(fd)
            os.close(fd)
            raise StorageError(
                f"the SQLite database at {self.path} is in use by another bot process"
                + (f" (process {holder})" if holder else "")
                + "; SQLite serves one process: stop that one first, or use PostgreSQL "
                "(DATABASE_URL=postgresql://...) to run several shard processes") from None
        with contextlib.suppress(OSError):  # who holds it, for the message above
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._held = fd

    def _release_file(self) -> None:
        if self._held is not None:
            fd, self._held = self._held, None
            os.close(fd)  # closing the last descriptor releases the lock

    async def _connect_writable(self) -> aiosqlite.Connection:
        """A connection that can write, with its PRAGMAs set and the schema migrated.
        Raises _CannotWrite when the file or its folder is read-only."""
        connecting = aiosqlite.connect(self.path, isolation_level=None)
        try:
            conn = await connecting
        except sqlite3.Error as exc:
            await _worker_stopped(connecting)
            if _is_read_only(exc):
                raise _CannotWrite(str(exc)) from exc
            raise StorageError(f"cannot open the database at {self.path}: {exc}") from exc
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            mode = await _scalar_of(conn, "PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                raise StorageError(f"the database at {self.path} cannot use WAL mode")
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA secure_delete = ON")
            await self._check_writable(conn)
            await self._migrate(conn)
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                if _is_read_only(exc):
                    raise _CannotWrite(str(exc)) from exc
                raise StorageError(f"cannot use the database at {self.path}: {exc}") from exc
            raise
        return conn

    @staticmethod
    async def _check_writable(conn: aiosqlite.Connection) -> None:
        """SQLite opens a write-protected file for reading without a word, and even
        BEGIN IMMEDIATE succeeds on it: only a write tells. This one changes nothing
        (the same schema version, rolled back). A database locked by another writer
        is not read-only: that is left to the busy timeout of each write."""
        try:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                version = int(await _scalar_of(conn, "PRAGMA user_version"))
                await conn.execute(f"PRAGMA user_version = {version}")
            finally:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise

    async def _connect_read_only(self, reason: str) -> aiosqlite.Connection:
        """A connection that only reads, for a database that cannot be written. Its
        schema must be current: an older one needs a write to be upgraded."""
        uri = "file:" + quote(str(self.path.absolute()))
        uris = [f"{uri}?mode=ro"]
        wal = sidecar(self.path, "-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            # In a read-only folder SQLite cannot create the -shm file that a reader
            # of a WAL database needs. With no write-ahead log to read, the file is the
            # whole database, and immutable=1 reads it without one.
            uris.append(f"{uri}?mode=ro&immutable=1")
        failure = reason
        for candidate in uris:
            connecting = aiosqlite.connect(candidate, uri=True, isolation_level=None)
            try:
                conn = await connecting
            except sqlite3.Error as exc:
                await _worker_stopped(connecting)
                failure = str(exc)
                continue
            try:
                await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                version = int(await _scalar_of(conn, "PRAGMA user_version"))
                await _scalar_of(conn, "SELECT count(*) FROM sqlite_master")
            except sqlite3.Error as exc:
                await conn.close()
                failure = str(exc)
                continue
            if version != latest_version():
                await conn.close()
                if version > latest_version():
                    raise _newer_schema(version)
                raise StorageError(
                    f"the database at {self.path} cannot be written ({reason}) and its schema "
                    f"({version}) is older than this program's ({latest_version()}); make it "
                    "writable once so that it can be upgraded"
                )
            return conn
        raise StorageError(f"cannot open the database at {self.path}: {failure}")

    async def close(self) -> None:
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()
        self._release_file()

    async def _scalar(self, sql: str, params: Params = ()) -> Any:
        return await _scalar_of(self._require(), sql, params)

    async def schema_version(self) -> int:
        with _driver_errors("read the schema version"):
            return int(await self._scalar("PRAGMA user_version"))

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        """Apply the pending migrations in one transaction (on a connection not yet
        shared with anyone)."""
        current = int(await _scalar_of(conn, "PRAGMA user_version"))
        if current > latest_version():
            raise _newer_schema(current)
        pending = [m for m in migrations() if m.version > current]
        if not pending:
            return
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for migration in pending:
                for statement in split_statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {migration.version}")
            await conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
        log.info("database schema migrated from %d to %d", current, pending[-1].version)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error. An sqlite3 error,
        in the transaction or in COMMIT, leaves as StorageError."""
        async with self._lock:
            conn = self._require()
            if self.degraded_reason is not None:
                raise StorageError(f"cannot change anything: {self.degraded_reason}")
            with _driver_errors("change the database"):
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

    async def batch(self, statements: Sequence[tuple[str, Params]]) -> list[int]:
        """`statements` in one transaction, as `transaction` runs them (BEGIN
        IMMEDIATE ... COMMIT, rolled back on any error), handed to the
        connection's thread once rather than once per statement: the rows
        changed by each. For the acknowledgement writer's group commit, where
        the hand-overs cost more than the statements."""
        def run(conn: sqlite3.Connection) -> list[int]:
            conn.execute("BEGIN IMMEDIATE")
            try:
                changed = [conn.execute(sql, params).rowcount for sql, params in statements]
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # also when COMMIT fails (see transaction)
                    conn.execute("ROLLBACK")
                raise
            return changed

        async with self._lock:
            conn = self._require()
            if self.degraded_reason is not None:
                raise StorageError(f"cannot change anything: {self.degraded_reason}")
            with _driver_errors("change the database"):
                # aiosqlite runs every call of a connection on its one thread, in
                # order; _execute is how its own methods hand a function over.
                changed: list[int] = await conn._execute(lambda: run(conn._conn))
                return changed

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        with _driver_errors("read the database"):
            async with self._lock, self._require().execute(sql, params) as cursor:
                row: sqlite3.Row | None = await cursor.fetchone()
                return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        with _driver_errors("read the database"):
            async with self._lock, self._require().execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    async def fetchall_apart(self, sql: str, params: Params = ()) -> list[Any]:
        """A long read (the daily job's count of every row) on a connection of
        its own, in a worker thread: it holds neither the lock nor the connection
        that every answer and write waits for. It reads what is committed (WAL)."""
        def read() -> list[Any]:
            # Its own thread, at the lowest priority: on a busy machine the
            # answers come first (a thread of its own, so no pooled worker
            # keeps the low priority).
            with contextlib.suppress(OSError, AttributeError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), APART_NICENESS)
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                return list(conn.execute(sql, params).fetchall())
            finally:
                conn.close()

        thread = concurrent.futures.ThreadPoolExecutor(1, "database-apart")
        try:
            with _driver_errors("read the database"):
                return await asyncio.get_running_loop().run_in_executor(thread, read)
        finally:
            thread.shutdown(wait=False)  # done, or cancelled: never wait on the loop

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own transaction; returns the rows changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    # ------------------------------------------------- the write-ahead log
    async def checkpoint(self) -> bool:
        """One attempt to fold the write-ahead log into the main file and truncate
        it (with secure_delete on, a deleted row's page is zeroed in place). It does
        not wait: True when done (the -wal file is empty), False when another
        connection's read transaction blocked it."""
        with _driver_errors("checkpoint the write-ahead log"):
            return await self._checkpoint()

    async def _checkpoint(self) -> bool:
        async with self._lock:
            conn = self._require()
            if self.degraded_reason is not None:
                return False  # this process wrote nothing
            waits = await _scalar_of(conn, "PRAGMA busy_timeout")
            # Waiting here would hold the connection, and every answer, for a reader.
            await conn.execute("PRAGMA busy_timeout = 0")
            try:
                async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                    row = await cursor.fetchone()
            finally:
                await conn.execute(f"PRAGMA busy_timeout = {int(waits)}")
        return row is not None and row[0] == 0

    async def checkpoint_after_delete(self) -> None:
        """After a deletion: checkpoint at once; when another connection blocks it,
        the background task retries until it succeeds. Never waits for a reader."""
        try:
            done = await self.checkpoint()
        except StorageError:
            done = False
        if not done:
            self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        """Sleep, or less when checkpoint_after_delete wakes the task."""
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a
        # cancellation that arrives as the wake-up does (a deletion just before
        # close()), and close() would then wait for this task forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def _maintain(self) -> None:
        blocked = 0  # checkpoint attempts blocked in a row
        last_log = -math.inf
        while True:
            try:
                if self.degraded_reason is not None:
                    await self._sleep(WRITABLE_RETRY_SECONDS)
                    await self._try_writable()
                    continue
                await self._sleep(
                    CHECKPOINT_INTERVAL_SECONDS if not blocked else min(
                        CHECKPOINT_RETRY_FIRST_SECONDS * 2 ** (blocked - 1),
                        CHECKPOINT_RETRY_LONGEST_SECONDS))
                try:
                    done = await self.checkpoint()
                    why = "another connection is reading it (a backup, the sqlite3 shell?)"
                except (sqlite3.Error, StorageError) as exc:
                    done, why = False, type(exc).__name__
                if done:
                    if blocked:
                        log.info("write-ahead log checkpointed after %d blocked attempt(s): "
                                 "deleted rows are gone from the -wal file", blocked)
                    blocked = 0
                    continue
                blocked += 1
                if time.monotonic() - last_log >= CHECKPOINT_LOG_EVERY_SECONDS:
                    last_log = time.monotonic()
                    log.warning("write-ahead log not checkpointed: %s; recent changes, deleted "
                                "rows included, stay in the -wal file until it can be; "
                                "retrying (attempt %d)", why, blocked)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep maintaining; the next round retries
                log.error("database maintenance failed: %s", type(exc).__name__)
                await asyncio.sleep(CHECKPOINT_RETRY_LONGEST_SECONDS)

    async def _try_writable(self) -> None:
        """In degraded mode: if the database can be written again, carry on with a
        writable connection. The read-only one is closed first: SQLite shares a
        file's shared-memory index among a process's connections, and one opened
        read-only would keep the new connection read-only too."""
        async with self._lock:
            reason = self.degraded_reason or "read-only"
            if self._conn is not None:
                conn, self._conn = self._conn, None
                await conn.close()
            try:
                create_private_file(self.path)
                self._conn = await self._connect_writable()
            except (_CannotWrite, StorageError, sqlite3.Error, OSError):
                # Still read-only (said once at start-up): reading goes on.
                try:
                    self._conn = await self._connect_read_only(reason)
                except StorageError as exc:
                    log.warning("the database cannot be read now: %s", exc)
                return
            self.degraded_reason = None
        log.info("the database at %s can be written again: changes are accepted", self.path)

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
