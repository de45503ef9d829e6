"""The PostgreSQL backend: an asyncpg pool, numbered migrations under an
advisory lock, durable commits, and a VACUUM of the acknowledgements after
deletions.

Everything PostgreSQL-only (asyncpg and its errors, `$1` placeholders,
advisory locks, VACUUM, the schema_migrations table) stays inside this folder.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.storage.errors import StorageError
from bot.storage.url import DatabaseUrl

log = logging.getLogger(__name__)

T = TypeVar("T")
Connection = asyncpg.Connection | PoolConnectionProxy

# Connections per process: the acknowledgement writer, the daily job, VACUUM and
# a few concurrent reads. Several shard processes share one server, whose
# max_connections (100 by default) bounds processes x POOL_SIZE.
POOL_SIZE = 5
CONNECT_TIMEOUT_SECONDS = 10.0
# A statement that takes longer than this is abandoned (StorageError), so an
# answer never waits on a stuck server for longer than Discord's window.
STATEMENT_TIMEOUT_SECONDS = 30.0

# Changing the schema: every process that starts takes this lock (one key of
# pg_advisory_xact_lock, the same in every process of this bot) before reading
# the schema version, so several processes starting at once apply each
# migration exactly once. "metoo_mg" in ASCII.
MIGRATION_LOCK = 0x6D65746F6F5F6D67

# After a deletion, the acknowledgements table is vacuumed by the background
# task, off the answer's path; deletions close together share one VACUUM. If it
# fails (the server is away), it is retried after this long.
VACUUM_RETRY_SECONDS = 10.0
# When the database is read-only or unreachable, this often the backend checks
# whether it can write again.
WRITABLE_RETRY_SECONDS = 10.0

# Every commit waits for the write-ahead log to reach the disk: a confirmation
# the bot gives must survive a crash of the server, whatever
# the server's or the database's default says.
SERVER_SETTINGS = {"synchronous_commit": "on", "application_name": "metoo-bot"}

# SQLSTATE classes that mean "the server is away" (08: connection exception,
# 57P: operator intervention such as a shutdown) and "read-only" (25006).
_READ_ONLY = "25006"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The numbered .sql files of bot/storage/postgres/migrations, in order, without gaps."""
    found = []
    for entry in resources.files("bot.storage.postgres.migrations").iterdir():
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


def _newer_schema(version: int) -> StorageError:
    return StorageError(
        f"the database is at schema {version}, newer than this program "
        f"({latest_version()}); upgrade the bot"
    )


DriverError = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


def describe_error(exc: BaseException, url: DatabaseUrl | None = None) -> str:
    """A driver error in one line for the operator: its kind and the server's
    message, never its DETAIL (which repeats the values of a refused row, a
    member key among them) and never the password."""
    if isinstance(exc, asyncpg.PostgresError):
        text = str(getattr(exc, "message", "") or "").splitlines()[0:1]
        message = text[0] if text else ""
    else:
        message = str(exc).splitlines()[0] if str(exc) else ""
    if url is not None:
        password = urlsplit(url.dsn).password
        if password:
            for form in {password, quote(password, safe="")}:
                message = message.replace(form, "***")
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


def _is_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.PostgresError):
        state = str(getattr(exc, "sqlstate", "") or "")
        return state.startswith(("08", "57P"))
    return isinstance(exc, OSError | asyncpg.InterfaceError | TimeoutError)


def _is_read_only(exc: BaseException) -> bool:
    return getattr(exc, "sqlstate", None) == _READ_ONLY


def _rows_changed(status: str) -> int:
    """asyncpg's command status ("INSERT 0 3", "DELETE 2", "UPDATE 1"): rows changed."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


async def _schema_version(conn: Connection) -> int:
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))


async def _read_only_reason(conn: Connection) -> str | None:
    """Why this server refuses changes (a standby, or read-only by setting), or None."""
    row = await conn.fetchrow(
        "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'")
    assert row is not None
    in_recovery, read_only = row
    if in_recovery:
        return "the database is read-only (the server is a standby in recovery)"
    if read_only:
        return "the database is read-only (default_transaction_read_only is on)"
    return None


async def _keep_session(conn: Connection) -> None:
    """What the pool does to a connection it gets back, besides rolling back an
    open transaction (asyncpg always does that). asyncpg's default (unlock session
    advisory locks, close cursors, UNLISTEN, RESET ALL) costs one more round trip on
    every use, a third of a confirmation's time; this backend never changes a
    session (no SET, LISTEN, cursor or session-level lock), so there is nothing to undo."""


class Database:
    """A pool of connections to one PostgreSQL database, used by one process.

    Reads run concurrently on the pool. Every change of this process goes
    through `transaction()`, one at a time (the acknowledgement writer already
    batches its requests into one), so that a check made inside a transaction
    (CommunityStore.forget's `unless`) holds until its COMMIT as on SQLite.
    A background task vacuums the acknowledgements after deletions and, while
    the database is read-only or unreachable, checks whether it can write again;
    until then `degraded_reason` says why."""

    def __init__(self, url: DatabaseUrl, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.pool_size = pool_size
        self.degraded_reason: str | None = None
        self._read_only = False  # changes are refused up front while degraded_reason says why
        self.vacuums = 0  # VACUUMs of the acknowledgements done by this process
        self._pool: asyncpg.Pool | None = None
        self._writing = asyncio.Lock()
        self._vacuum_wanted = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._trace: Callable[[str], None] | None = None

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    # ------------------------------------------------------------ opening
    async def open(self) -> None:
        """Connect and migrate the schema to the latest version (under the
        migration lock). A server that refuses changes (a standby, or read-only
        by setting) is used for reading only (degraded) if the schema is current;
        otherwise, and when the server cannot be reached, StorageError."""
        try:
            self._pool = await asyncpg.create_pool(
                dsn=self.url.dsn, min_size=1, max_size=self.pool_size,
                timeout=CONNECT_TIMEOUT_SECONDS, command_timeout=STATEMENT_TIMEOUT_SECONDS,
                server_settings=SERVER_SETTINGS, init=self._init_connection,
                reset=_keep_session)
        except (*DriverError, ValueError) as exc:
            raise StorageError(f"cannot connect to the database at {self.url}: "
                               f"{describe_error(exc, self.url)}") from None
        try:
            async with self._pool.acquire() as conn:
                reason = await _read_only_reason(conn)
                if reason is None:
                    await self._migrate(conn)
                else:
                    version = await _schema_version(conn)
                    if version > latest_version():
                        raise _newer_schema(version)
                    if version < latest_version():
                        raise StorageError(
                            f"the database at {self.url} cannot be written ({reason}) and "
                            f"its schema ({version}) is older than this program's "
                            f"({latest_version()}); open it once where it can be written")
                    self.degraded_reason, self._read_only = reason, True
                    log.warning("%s; starting degraded: commands that only read answer, "
                                "changes are refused kindly, and every %g s the bot checks "
                                "whether it can write again", reason, WRITABLE_RETRY_SECONDS)
        except BaseException as exc:
            pool, self._pool = self._pool, None
            pool.terminate()
            if isinstance(exc, DriverError):
                raise StorageError(f"cannot use the database at {self.url}: "
                                   f"{describe_error(exc, self.url)}") from None
            raise
        self._task = asyncio.create_task(self._maintain(), name="database-maintenance")

    async def _init_connection(self, conn: asyncpg.Connection) -> None:
        if self._trace is not None:
            trace = self._trace
            conn.add_query_logger(lambda record: trace(record.query))

    async def trace(self, callback: Callable[[str], None]) -> None:
        """For tests: `callback` sees the text of every statement run from now
        on (BEGIN and COMMIT included): the pool's connections are replaced by
        new ones that report to it."""
        self._trace = callback
        await self._require().expire_connections()

    async def _migrate(self, conn: Connection) -> None:
        """Apply the pending migrations in one transaction, holding the migration
        lock: a process that starts while another migrates waits, then finds
        nothing left to do."""
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            current = await _schema_version(conn)
            if current > latest_version():
                raise _newer_schema(current)
            pending = [m for m in migrations() if m.version > current]
            for migration in pending:
                await conn.execute(migration.sql)
                await conn.execute("INSERT INTO schema_migrations (version, name) "
                                   "VALUES ($1, $2)", migration.version, migration.name)
        if pending:
            log.info("database schema migrated from %d to %d", current, pending[-1].version)

    async def close(self) -> None:
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), CONNECT_TIMEOUT_SECONDS)
            except (*DriverError, asyncio.CancelledError):
                pool.terminate()

    async def schema_version(self) -> int:
        with self._driver_errors("read the schema version"):
            async with self._require().acquire() as conn:
                return await _schema_version(conn)

    # ---------------------------------------------------------- statements
    @contextlib.contextmanager
    def _driver_errors(self, doing: str) -> Iterator[None]:
        """asyncpg's errors (and a lost connection) leave this package as
        StorageError; a server that went away or became read-only makes the
        backend degraded until it can write again."""
        try:
            yield
        except DriverError as exc:
            if _is_read_only(exc):
                self._degrade("the database is read-only (the server refused a change)",
                              read_only=True)
            elif _is_unreachable(exc):
                self._degrade(f"the database cannot be reached ({type(exc).__name__})")
            raise StorageError(f"could not {doing}: {describe_error(exc, self.url)}") from None

    def _degrade(self, reason: str, *, read_only: bool = False) -> None:
        if self.degraded_reason is None:
            log.warning("%s; checking again every %g s", reason, WRITABLE_RETRY_SECONDS)
        self.degraded_reason = reason
        self._read_only = self._read_only or read_only
        self._wake.set()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN ... COMMIT (durable: synchronous_commit is on); rolled back on any
        error. A driver error, in the transaction or in COMMIT, leaves as StorageError."""
        async with self._writing:
            pool = self._require()
            if self._read_only and self.degraded_reason is not None:
                raise StorageError(f"cannot change anything: {self.degraded_reason}")
            with self._driver_errors("change the database"):
                async with pool.acquire() as conn, conn.transaction():
                    yield Transaction(conn)

    async def fetchone(self, sql: str, *args: Any) -> asyncpg.Record | None:
        with self._driver_errors("read the database"):
            row: asyncpg.Record | None = await self._require().fetchrow(sql, *args)
            return row

    async def fetchall(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        with self._driver_errors("read the database"):
            return list(await self._require().fetch(sql, *args))

    async def execute(self, sql: str, *args: Any) -> int:
        """One statement in its own transaction; returns the rows changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, *args)

    # --------------------------------------------------- VACUUM after deletes
    async def checkpoint(self) -> bool:
        """VACUUM the acknowledgements now: deleted rows leave the table's pages
        (their space is marked free; PostgreSQL does not zero it, and the
        write-ahead log and backups keep them for their own retention). True when
        done."""
        with self._driver_errors("vacuum the acknowledgements"):
            async with self._require().acquire() as conn:
                # Never inside a transaction (VACUUM refuses one); not FULL, which
                # would lock the table against every answer while it rewrites it.
                await conn.execute("VACUUM acknowledgements")
        self.vacuums += 1
        return True

    def after_delete(self) -> None:
        """After a committed deletion: the background task vacuums soon. Never
        waits (the answer does not wait for VACUUM)."""
        self._vacuum_wanted = True
        self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a
        # cancellation that arrives as the wake-up does (a deletion just before
        # close()), and close() would then wait for this task forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def _maintain(self) -> None:
        retry = False
        while True:
            try:
                if self.degraded_reason is not None:
                    await self._sleep(WRITABLE_RETRY_SECONDS)
                    await self._try_writable()
                    continue
                if not self._vacuum_wanted:
                    await self._sleep(VACUUM_RETRY_SECONDS if retry else 3600.0)
                if not self._vacuum_wanted:
                    continue
                self._vacuum_wanted = False
                try:
                    await self.checkpoint()
                    retry = False
                except StorageError as exc:
                    self._vacuum_wanted = retry = True
                    log.warning("VACUUM of the acknowledgements after a deletion failed (%s); "
                                "deleted rows stay in the table's pages until it succeeds; "
                                "retrying", str(exc).split(": ", 1)[-1].split(":")[0])
                    await asyncio.sleep(VACUUM_RETRY_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep maintaining; the next round retries
                log.error("database maintenance failed: %s", type(exc).__name__)
                await asyncio.sleep(VACUUM_RETRY_SECONDS)

    async def _try_writable(self) -> None:
        """While degraded: whether the server can be reached and written again."""
        try:
            # New connections: a setting such as default_transaction_read_only is
            # taken when a connection starts, and a broken one must not be reused.
            await self._require().expire_connections()
            async with self._require().acquire() as conn:
                reason = await _read_only_reason(conn)
        except DriverError as exc:
            self.degraded_reason = (f"the database cannot be reached ({type(exc).__name__})"
                                    if _is_unreachable(exc) else self.degraded_reason)
            return
        if reason is not None:
            self.degraded_reason, self._read_only = reason, True
            return
        self.degraded_reason, self._read_only = None, False
        log.info("the database at %s can be written again: changes are accepted", self.url)

    def _require(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool


class Transaction:
    """Statements inside Database.transaction(), on its one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, *args: Any) -> int:
        """Returns the rows changed."""
        return _rows_changed(await self._conn.execute(sql, *args))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, *args: Any) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self._conn.fetchrow(sql, *args)
        return row

    async def fetchall(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(sql, *args))


# ------------------------------------------------- for `python -m bot check`
async def _inspect(url: DatabaseUrl) -> str:
    conn = await asyncpg.connect(dsn=url.dsn, timeout=CONNECT_TIMEOUT_SECONDS,
                                 command_timeout=STATEMENT_TIMEOUT_SECONDS,
                                 server_settings=SERVER_SETTINGS)
    try:
        version = await _schema_version(conn)
        server = await conn.fetchval("SHOW server_version")
        read_only = await _read_only_reason(conn)
    finally:
        await conn.close()
    if version > latest_version():
        raise _newer_schema(version)
    if version == 0:
        state = f"no schema yet; it will be created (schema {latest_version()})"
    else:
        state = f"schema {version} of {latest_version()}"
    note = f" (warning: {read_only})" if read_only else ""
    return f"database {url}: PostgreSQL {str(server).split()[0]}, {state}{note}"


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to its end from synchronous code (`check`, the console's
    argument check), in a thread of its own so that it works whether or not an
    event loop runs in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def inspect_database(url: DatabaseUrl) -> str:
    """For `python -m bot check`: connect, and describe the database (server
    version, schema version), or raise StorageError with a readable reason.
    Creates and changes nothing."""
    try:
        return run_sync(lambda: _inspect(url))
    except StorageError:
        raise
    except (*DriverError, ValueError) as exc:
        raise StorageError(f"cannot connect to the database at {url}: "
                           f"{describe_error(exc, url)}") from None
