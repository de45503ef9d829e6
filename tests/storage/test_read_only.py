"""A database that cannot be written at start-up does not stop the bot: it
starts degraded, reading commands answer, changes are refused kindly,
`bot.degraded_reason` says why (for /readyz), and it recovers by itself once the
database can be written again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.kit import text as common
from bot.storage import StorageError
from bot.storage.sqlite import backend as database
from bot.storage.sqlite.backend import Database, latest_version, migrations, split_statements
from tests.conftest import StartBot
from tests.support.acks import (
    key_of,
)
from tests.support.files import MakeReadOnly
from tests.support.storage import sqlite_stores


async def eventually(condition: Callable[[], bool], what: str) -> None:
    for _ in range(750):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)


@pytest.mark.parametrize("what", ["file", "folder"])
async def test_a_read_only_database_at_start_up_starts_degraded_and_recovers(
    what: str, emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User,
    member: User, db_path: Path, read_only: MakeReadOnly,
    captured_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "WRITABLE_RETRY_SECONDS", 0.2, raising=False)
    # A database from an earlier run with this community configured; the commands
    # were never synced from it, so this start syncs and cannot record that.
    # Another community removed the bot while it was offline: its rows are deleted
    # once the database can be written.
    earlier = sqlite_stores(db_path)
    await earlier.open()
    await earlier.communities.update(guild.id, country="GB", acknowledgements_enabled=True)
    left = emulator.add_guild("Left while offline")
    emulator.guilds.pop(left.id)
    await earlier.communities.update(left.id, country="FR")
    await earlier.close()
    writable_again = read_only(db_path if what == "file" else db_path.parent)

    local = await start_bot()
    reason = local.bot.degraded_reason
    assert reason is not None and "read-only" in reason
    said = [r.getMessage() for r in captured_logs.records
            if r.levelno >= logging.WARNING and "degraded" in r.getMessage()]
    assert len(said) == 1 and "cannot be written" in said[0]

    # Reading commands answer as usual; /hotline reads the community's country.
    hotline = await (await emulator.slash("hotline", user=member, guild=guild)).reply()
    assert hotline.ephemeral and "United Kingdom" in hotline.text()
    for command in ("history overview", "help", "privacy info"):
        reply = await (await emulator.slash(command, user=member, guild=guild)).reply()
        assert reply.ephemeral and common.ERROR_DATABASE_BUSY not in reply.text(), command

    # Changes get the kind answer, and nothing is written.
    consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply()
    refused = await (await emulator.press(consent, "me too", user=member)).reply()
    assert refused.ephemeral and refused.content == common.ERROR_DATABASE_BUSY
    changed = await emulator.slash("config threshold", user=admin, guild=guild,
                                   options={"value": 20}, permissions=ADMIN_PERMISSIONS)
    assert (await changed.reply()).content == common.ERROR_DATABASE_BUSY
    assert not await local.storage.acks.has(guild.id, key_of(guild, member))
    assert (await local.storage.communities.settings(guild.id)).threshold == 10

    # Writable again: the bot notices by itself, without a restart.
    lifecycle = local.bot.get_cog("Lifecycle")
    lifecycle.poll_seconds = 0.1  # type: ignore[union-attr]
    lifecycle.wake()  # type: ignore[union-attr]
    writable_again()
    await eventually(lambda: local.bot.degraded_reason is None, "the bot stayed degraded")
    again = await (await emulator.press(consent, "me too", user=member)).reply()
    assert again.content == text.THANKS
    changed = await emulator.slash("config threshold", user=admin, guild=guild,
                                   options={"value": 20}, permissions=ADMIN_PERMISSIONS)
    assert "20" in (await changed.reply()).text()
    assert await local.storage.acks.has(guild.id, key_of(guild, member))
    assert any("can be written again" in r.getMessage() for r in captured_logs.records)
    await eventually(lambda: not lifecycle.reconcile_pending,  # type: ignore[union-attr]
                     "reconciliation was not retried")
    assert await local.storage.communities.known_ids() == {guild.id}


async def test_a_read_only_database_behind_the_schema_is_refused_in_one_line(
    tmp_path: Path, read_only: MakeReadOnly
) -> None:
    """Upgrading the schema needs a write: refuse, saying what to do, change nothing."""
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in split_statements(migrations()[0].sql):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    assert latest_version() > 1
    read_only(path)

    db = Database(path)
    with pytest.raises(StorageError) as caught:
        await db.open()
    message = str(caught.value)
    assert "\n" not in message
    assert "cannot be written" in message and "schema" in message and "writable" in message
    assert not db.is_open
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert check.execute("PRAGMA user_version").fetchone() == (1,)
    finally:
        check.close()


async def test_a_database_locked_at_start_up_is_not_taken_for_read_only(tmp_path: Path) -> None:
    """Another writer holding the lock is the "locked" case, not read-only: the
    database opens normally, and writes wait for the lock as usual."""
    path = tmp_path / "db.sqlite3"
    first = Database(path)
    await first.open()
    await first.close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    db = Database(path, busy_timeout_ms=100)
    try:
        await db.open()
        assert db.degraded_reason is None
        with pytest.raises(StorageError, match="locked"):
            await db.execute("INSERT INTO meta VALUES ('k', 'v')")
        blocker.execute("ROLLBACK")
        await db.execute("INSERT INTO meta VALUES ('k', 'v')")
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
        await db.close()
