"""Erasure reaches the disk even while another program reads the database
(deleted means deleted, also in the write-ahead log).

A backup tool or the sqlite3 shell in a read transaction blocks SQLite's WAL
checkpoint. The bot answers at once, keeps retrying (saying so in the log,
without ids), and once the reader lets go the -wal file is truncated and the
deleted keys are gone from the disk. Confirmations leave the -wal file on a
timer too, so it does not keep the order and time of recent ones."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.features.metoo.rules import CONSENT_VERSION
from bot.features.privacy import text as privacy_text
from bot.storage.sqlite import backend as database
from tests.conftest import StartBot
from tests.support.acks import (
    acknowledge,
    enable,
    file_bytes,
    key_of,
    rows,
)


async def eventually(condition: Callable[[], bool], what: str, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)


def storage_lines(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("bot.storage") and r.levelno == level]


async def test_a_reader_delays_the_checkpoint_but_deleted_keys_still_leave_the_disk(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User, db_path: Path,
    captured_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Short back-off so the test need not wait; the behaviour is the same.
    # (raising=False: the same test runs, and fails, against a bot without them.)
    monkeypatch.setattr(database, "CHECKPOINT_RETRY_FIRST_SECONDS", 0.05, raising=False)
    monkeypatch.setattr(database, "CHECKPOINT_RETRY_LONGEST_SECONDS", 0.2, raising=False)
    monkeypatch.setattr(database, "CHECKPOINT_LOG_EVERY_SECONDS", 0.3, raising=False)
    local = await start_bot()
    other = emulator.add_guild("Second community")
    await emulator.join_guild(other)
    bystander = emulator.add_user("bystander")
    for community in (guild, other):
        await enable(local, community)
        assert (await acknowledge(emulator, community, member)).content == text.THANKS
    await acknowledge(emulator, guild, bystander)
    deleted_keys = [key_of(guild, member), key_of(other, member)]

    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")  # as a backup tool copying the database does
    assert reader.execute("SELECT count(*) FROM acknowledgements").fetchone() == (3,)
    try:
        removed = await (await emulator.slash("metoo remove", user=member, guild=guild)).reply()
        assert removed.content == text.REMOVED
        prompt = await (await emulator.slash("privacy delete", user=member, guild=other)).reply()
        erased = await (await emulator.press(prompt, "Delete", user=member)).reply()
        assert erased.content == privacy_text.DELETED.format(records="1 record")
        day = rows(db_path)[0][3]
        assert rows(db_path) == [(guild.id, key_of(guild, bystander), CONSENT_VERSION, day)]

        # The reader's snapshot still needs the old pages: the keys are on disk, and
        # the bot says, more than once, that it keeps trying.
        await eventually(lambda: len(storage_lines(captured_logs, logging.WARNING)) >= 2,
                         "the blocked checkpoint was not logged while it lasted")
        disk = file_bytes(db_path)
        assert all(key in disk for key in deleted_keys)
    finally:
        reader.execute("COMMIT")
        reader.close()

    wal = db_path.with_name(db_path.name + "-wal")
    await eventually(lambda: any("checkpointed after" in line for line in
                                 storage_lines(captured_logs, logging.INFO)),
                     "the checkpoint was not retried once the reader let go")
    assert wal.stat().st_size == 0
    disk = file_bytes(db_path)
    assert not any(key in disk for key in deleted_keys)
    assert key_of(guild, bystander) in disk  # the check above would see a key
    for record in captured_logs.records:
        line = record.getMessage()
        for secret in (str(member.id), str(guild.id), str(other.id),
                       *(key.hex() for key in deleted_keys)):
            assert secret not in line


async def test_confirmations_leave_the_write_ahead_log_without_any_deletion(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User, db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "CHECKPOINT_INTERVAL_SECONDS", 0.2, raising=False)
    local = await start_bot()
    await enable(local, guild)
    for user in (member, emulator.add_user("second"), emulator.add_user("third")):
        assert (await acknowledge(emulator, guild, user)).content == text.THANKS
    wal = db_path.with_name(db_path.name + "-wal")
    await eventually(lambda: wal.stat().st_size == 0, "the -wal file kept recent confirmations")
    # The rows now live in the main file only (the -wal is empty), ordered by key.
    assert key_of(guild, member) in file_bytes(db_path)
