"""What only the PostgreSQL backend does:
migrations with SQLite's numbers applied once under an advisory lock however
many processes start, durable commits whatever the server's default, VACUUM
after deletions off the answer's path, a confirmation that survives a crash of
the server, degraded while read-only or unreachable, and the program commands
with a postgresql:// URL."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.storage import StorageError, Stores
from bot.storage.postgres import backend as pg
from bot.storage.sqlite import backend as sqlite
from tests.support.backends import TestDatabase
from tests.support.program import program_env, run_program

ONLY_POSTGRES = pytest.mark.parametrize("database", ["postgres"], indirect=True)
GUILD = 1_300_000_000_000_000_001


def key(user: int) -> bytes:
    """A member key (any 32 bytes: the store never sees how it was made)."""
    return hashlib.sha256(f"member {user}".encode()).digest()


@pytest.fixture
async def storage(database: TestDatabase) -> AsyncIterator[Stores]:
    s = database.stores()
    await s.open()
    yield s
    await s.close()


def test_both_backends_have_the_same_migrations() -> None:
    """The same numbers with the same names (and so the same meaning): a schema
    change is made for both backends at once."""
    assert [(m.version, m.name) for m in pg.migrations()] == [
        (m.version, m.name) for m in sqlite.migrations()]


@ONLY_POSTGRES
async def test_both_schemas_have_the_same_tables_columns_and_keys(
    database: TestDatabase, tmp_path: Path
) -> None:
    on_sqlite = TestDatabase.sqlite(tmp_path / "parity.sqlite3")
    for db in (database, on_sqlite):
        stores = db.stores()
        await stores.open()
        await stores.close()
    tables = sorted(r[0] for r in on_sqlite._sqlite(
        "SELECT name FROM sqlite_master WHERE type = 'table'"))
    pg_tables = sorted(r[0] for r in database._query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_name <> 'schema_migrations'"))
    assert pg_tables == tables
    for table in tables:
        assert database.columns(table) == on_sqlite.columns(table), table
        assert database.primary_key(table) == on_sqlite.primary_key(table), table


@ONLY_POSTGRES
async def test_processes_starting_at_once_apply_each_migration_once(
    database: TestDatabase,
) -> None:
    """Several shard processes start together on an empty database: the advisory
    lock lets one migrate while the others wait, then find nothing to do."""
    processes = [database.stores() for _ in range(6)]
    await asyncio.gather(*(s.open() for s in processes))
    try:
        assert database.rows("schema_migrations") != []
        applied = [(version, name) for version, name, _ in database.rows("schema_migrations")]
        assert applied == [(m.version, m.name) for m in pg.migrations()]
        for s in processes:
            assert await s.backend.schema_version() == pg.latest_version()  # type: ignore[attr-defined]
    finally:
        await asyncio.gather(*(s.close() for s in processes))


@ONLY_POSTGRES
async def test_a_failing_migration_changes_nothing(
    database: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = pg.migrations()
    broken = [*good, pg.Migration(len(good) + 1, "broken",
                                  "CREATE TABLE extra (x INTEGER);\nNOT SQL AT ALL;")]
    monkeypatch.setattr(pg, "migrations", lambda: broken)
    monkeypatch.setattr(pg, "latest_version", lambda: len(broken))
    with pytest.raises(StorageError, match="PostgresSyntaxError"):
        await database.stores().open()
    assert database._query("SELECT to_regclass('meta'), to_regclass('extra')")[0] == (None, None)


@ONLY_POSTGRES
async def test_a_newer_database_is_refused(database: TestDatabase) -> None:
    stores = database.stores()
    await stores.open()
    await stores.close()
    database.admin(f"INSERT INTO schema_migrations (version, name) "
                   f"VALUES ({pg.latest_version() + 1}, 'from_the_future')")
    with pytest.raises(StorageError, match="newer"):
        await database.stores().open()


@ONLY_POSTGRES
async def test_every_commit_waits_for_the_disk_whatever_the_default(
    database: TestDatabase,
) -> None:
    """A confirmation is given after a COMMIT with synchronous_commit on, even
    where the operator made the database's default off."""
    database.admin(f'ALTER DATABASE "{database.name}" SET synchronous_commit = off')
    assert database._query("SHOW synchronous_commit")[0][0] == "off"
    stores = database.stores()
    await stores.open()
    try:
        settings = await asyncio.gather(*(stores.backend.fetchone(  # type: ignore[attr-defined]
            "SELECT current_setting('synchronous_commit'), pg_sleep(0.05)") for _ in range(5)))
        assert {row[0] for row in settings} == {"on"}
    finally:
        await stores.close()


@ONLY_POSTGRES
async def test_deletions_are_vacuumed_after_the_answer(
    storage: Stores, database: TestDatabase
) -> None:
    """Withdrawing answers at once; the VACUUM that removes the deleted row from
    the table's pages follows in the background (here it must wait: another
    session holds the lock VACUUM needs, and an answer never waits for it)."""
    for user in (1, 2):
        await storage.acks.add(GUILD, key(user), 1, "2026-03-10")
    vacuumed = database.vacuums()
    holder = await asyncpg.connect(database.url.dsn)
    try:
        await holder.execute("BEGIN; LOCK TABLE acknowledgements IN SHARE UPDATE EXCLUSIVE MODE")
        assert await asyncio.wait_for(storage.acks.remove(GUILD, key(1)), 5) is True
        await asyncio.sleep(0.3)
        assert database.rows() == [(GUILD, key(2), 1, "2026-03-10")]
        assert database.holds(key(1))  # deleted, not yet vacuumed
        assert database.vacuums() == vacuumed
    finally:
        await holder.execute("ROLLBACK")
        await holder.close()
    assert await database.gone(key(1))
    assert database.holds(key(2))
    assert database.vacuums() == vacuumed + 1


@ONLY_POSTGRES
async def test_a_confirmation_survives_a_crash_of_the_server(
    database: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Confirmed means on disk: the server stopped as by a power cut (no shutdown
    checkpoint) recovers it from its write-ahead log. Meanwhile the backend
    says it cannot reach the database, and carries on once the server is back."""
    monkeypatch.setattr(pg, "WRITABLE_RETRY_SECONDS", 0.05)
    server = database.server
    assert server is not None
    stores = database.stores()
    await stores.open()
    try:
        assert await stores.acks.add(GUILD, key(1), 1, "2026-03-10") is True
        server.crash()
        try:
            with pytest.raises(StorageError, match=r"cannot|could not"):
                await stores.acks.add(GUILD, key(2), 1, "2026-03-10")
            assert "cannot be reached" in (stores.degraded_reason or "")
        finally:
            server.start_again()
        assert database.rows() == [(GUILD, key(1), 1, "2026-03-10")]
        for _ in range(200):
            if stores.degraded_reason is None:
                break
            await asyncio.sleep(0.05)
        assert stores.degraded_reason is None
        assert await stores.acks.add(GUILD, key(2), 1, "2026-03-10") is True
    finally:
        await stores.close()


@ONLY_POSTGRES
async def test_a_read_only_database_starts_degraded_and_recovers(
    database: TestDatabase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pg, "WRITABLE_RETRY_SECONDS", 0.05)
    assert database.server is not None
    stores = database.stores()
    await stores.open()  # migrated once, where it could be written
    await stores.communities.update(GUILD, country="GB")
    await stores.close()

    async def set_read_only(on: bool) -> None:
        admin = await database.server.admin()  # type: ignore[union-attr]
        try:
            await admin.execute(f'ALTER DATABASE "{database.name}" SET '
                                f'default_transaction_read_only = {"on" if on else "off"}')
        finally:
            await admin.close()

    await set_read_only(True)
    stores = database.stores()
    with caplog.at_level(logging.WARNING):
        await stores.open()
    try:
        assert "read-only" in (stores.degraded_reason or "")
        assert (await stores.communities.settings(GUILD)).country == "GB"  # reading answers
        with pytest.raises(StorageError, match="read-only"):
            await stores.communities.update(GUILD, country="DE")
        with pytest.raises(StorageError):
            await stores.acks.add(GUILD, key(1), 1, "2026-03-10")
        await set_read_only(False)
        for _ in range(200):
            if stores.degraded_reason is None:
                break
            await asyncio.sleep(0.05)
        assert stores.degraded_reason is None
        assert await stores.acks.add(GUILD, key(1), 1, "2026-03-10") is True
    finally:
        await stores.close()
    assert database.server.password not in caplog.text


@ONLY_POSTGRES
def test_check_describes_the_database_and_never_shows_the_password(
    database: TestDatabase, tmp_path: Path
) -> None:
    env = program_env(DISCORD_TOKEN="tok", DATABASE_URL=database.env)
    before = run_program(["check"], tmp_path, env)
    assert before.returncode == 0, before.stderr
    assert f"database {database.url}: PostgreSQL " in before.stdout
    assert "no schema yet" in before.stdout
    rotated = run_program(["rotate-secret"], tmp_path, env)  # opens it: migrates
    assert rotated.returncode == 0, rotated.stderr
    after = run_program(["check"], tmp_path, env)
    assert after.returncode == 0, after.stderr
    assert f"schema {pg.latest_version()} of {pg.latest_version()}" in after.stdout
    assert database.server is not None
    for result in (before, rotated, after):
        assert database.server.password not in result.stdout + result.stderr


@ONLY_POSTGRES
def test_the_console_runs_on_postgresql(database: TestDatabase, tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/config country code:DE\n")
    result = run_program(["console", "--database", database.env, "--script", str(script)],
                         tmp_path, program_env())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert database.server is not None
    assert database.server.password not in result.stdout + result.stderr
    assert [row[1] for row in database.rows("community_settings")] == ["DE"]


@ONLY_POSTGRES
async def test_privacy_info_says_what_deletion_means_on_postgresql_and_for_backups(
    emulator, running, guild, member, database: TestDatabase
) -> None:
    reply = await (await emulator.slash("privacy info", user=member, guild=guild)).reply()
    assert reply.ephemeral
    assert running.settings.database.scheme == "postgresql"
    shown = reply.text()
    for words in ("PostgreSQL", "freed for reuse", "change log", "backups"):
        assert words in shown, words
