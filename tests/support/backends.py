"""One suite, two backends: the `database` fixture's object, and what tests read
through it the same way on SQLite and on PostgreSQL.

    @pytest.mark.both_backends          # or pytestmark = pytest.mark.both_backends
    async def test_x(database: TestDatabase, start_bot: StartBot) -> None:
        local = await start_bot()       # the bot on this test's database
        ...
        assert database.rows() == [...]             # rows, as another process reads them
        assert await database.gone(key)             # a deleted key left the table's storage

A test that uses `database` (directly, or through `start_bot`/`running`) and is
marked `both_backends` runs twice: `[sqlite]` and `[postgres]`. Unmarked, it runs
on SQLite only, at `db_path`, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import asyncpg
import pytest

from bot.storage import DatabaseUrl, Stores, stores_for
from tests.support.postgres import PostgresServer, run

BACKENDS = ("sqlite", "postgres")
# One backend only, also inside a both_backends module: a check of SQLite's
# files or PRAGMAs, or of what only PostgreSQL does.
ONLY_SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
ONLY_POSTGRES = pytest.mark.parametrize("database", ["postgres"], indirect=True)
Kind = Literal["sqlite", "postgres"]

# PostgreSQL vacuums after the answer: how long gone() waits for it.
VACUUM_WAIT_SECONDS = 15.0


@dataclass
class TestDatabase:
    """The database of one test: an SQLite file, or a fresh PostgreSQL database
    on the session's server."""

    __test__ = False  # not a test class, whatever its name

    kind: Kind
    url: DatabaseUrl
    path: Path | None = None  # SQLite's file
    server: PostgresServer | None = field(default=None, repr=False)
    name: str | None = None  # PostgreSQL's database

    @classmethod
    def sqlite(cls, path: Path) -> TestDatabase:
        return cls("sqlite", DatabaseUrl.sqlite(path), path=path)

    @classmethod
    def postgres(cls, server: PostgresServer, name: str) -> TestDatabase:
        return cls("postgres", DatabaseUrl.postgresql(server.url(name)), server=server, name=name)

    @property
    def env(self) -> str:
        """The DATABASE_URL of this database, for a program started in a subprocess."""
        return f"sqlite:///{self.path}" if self.kind == "sqlite" else self.url.dsn

    def stores(self) -> Stores:
        """The stores, not opened yet (as the program builds them from DATABASE_URL)."""
        return stores_for(self.url)

    # ------------------------------------------------ reading as another process
    def rows(self, table: str = "acknowledgements") -> list[tuple[Any, ...]]:
        """The table's rows, ordered by their first two columns, read by a
        separate connection as another process would."""
        if self.kind == "sqlite":
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                return list(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
            finally:
                conn.close()
        return [tuple(r) for r in self._query(f"SELECT * FROM {table} ORDER BY 1, 2")]

    def columns(self, table: str) -> list[str]:
        if self.kind == "sqlite":
            return [row[1] for row in self._sqlite(f"PRAGMA table_info({table})")]
        return [r[0] for r in self._query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1 "
            "ORDER BY ordinal_position", table)]

    def primary_key(self, table: str) -> list[str]:
        if self.kind == "sqlite":
            found = [(row[5], row[1]) for row in self._sqlite(f"PRAGMA table_info({table})")
                     if row[5]]
            return [name for _, name in sorted(found)]
        return [r[0] for r in self._query(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)", table)]

    def holds(self, data: bytes) -> bool:
        """Whether `data` (a member key) is still stored. SQLite: anywhere in the
        file or its write-ahead log, as someone with the disk would read them.
        PostgreSQL: in any version of a row in the acknowledgements table's pages,
        the deleted ones a VACUUM has not yet removed included (PostgreSQL never
        zeroes freed space, and its write-ahead log keeps changes for its own
        retention: /privacy info says so)."""
        if self.kind == "sqlite":
            assert self.path is not None
            stored = self.path.read_bytes()
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists():
                stored += wal.read_bytes()
            return data in stored
        return bool(self._query(_TUPLES_HOLDING, data, extension=True)[0][0])

    async def gone(self, data: bytes, seconds: float = VACUUM_WAIT_SECONDS) -> bool:
        """After a deletion: the key has left the storage. SQLite checkpoints
        before it answers, so this looks once; PostgreSQL vacuums after it
        answers (in the bot's event loop: this awaits), so this waits up to
        `seconds` for the VACUUM."""
        if self.kind == "sqlite":
            return not self.holds(data)
        deadline = time.monotonic() + seconds
        while self.holds(data):
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    def vacuums(self) -> int:
        """PostgreSQL: how many times the acknowledgements table was vacuumed."""
        return int(self._query(
            "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'acknowledgements'"
        )[0][0])

    # ---------------------------------------------------- writing in a test
    async def execute(self, storage: Stores, sql: str, *params: Any) -> int:
        """A setup statement with `?` placeholders, through the store's own
        connection (and its locking), on either backend."""
        return await execute(storage, sql, *params)

    def admin(self, sql: str) -> None:
        """PostgreSQL: run a statement on this database as its superuser, from
        another connection (to change the schema or a setting under the bot)."""
        self._query(sql)

    @contextlib.asynccontextmanager
    async def writes_held(self) -> AsyncIterator[None]:
        """Another connection holds the acknowledgements' write lock until the
        block ends: the bot's writes wait (within its busy or statement timeout)."""
        if self.kind == "sqlite":
            blocker = sqlite3.connect(self.path, isolation_level=None)
            blocker.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                blocker.execute("ROLLBACK")
                blocker.close()
            return
        conn = await asyncpg.connect(self.url.dsn, timeout=10)
        try:
            async with conn.transaction():
                await conn.execute("LOCK TABLE acknowledgements IN EXCLUSIVE MODE")
                yield
        finally:
            await conn.close()

    # ------------------------------------------------------------- drivers
    def _sqlite(self, sql: str) -> list[Any]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return list(conn.execute(sql))
        finally:
            conn.close()

    def _query(self, sql: str, *args: Any, extension: bool = False) -> list[asyncpg.Record]:
        async def query() -> list[asyncpg.Record]:
            conn = await asyncpg.connect(self.url.dsn, timeout=10)
            try:
                if extension:
                    await conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
                return list(await conn.fetch(sql, *args))
            finally:
                await conn.close()

        result: list[asyncpg.Record] = run(query)
        return result


# Every tuple (live, or dead and not yet vacuumed) in every page of the table.
_TUPLES_HOLDING = """
SELECT count(*) FROM generate_series(
         0, pg_relation_size('acknowledgements') / current_setting('block_size')::int - 1) AS p,
     LATERAL heap_page_items(get_raw_page('acknowledgements', p::int)) AS t
WHERE t.t_data IS NOT NULL AND position($1::bytea IN t.t_data) > 0
"""


async def execute(storage: Stores, sql: str, *params: Any) -> int:
    """A setup statement with `?` placeholders through the stores' own connection,
    whichever backend they are on."""
    backend: Any = storage.backend
    if type(backend).__module__.startswith("bot.storage.sqlite"):
        return int(await backend.execute(sql, params))
    return int(await backend.execute(_numbered(sql), *params))


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, ...`."""
    counter = iter(range(1, 1000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


async def eventually(condition: Callable[[], bool], what: str, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)
