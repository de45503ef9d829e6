"""Retention of acknowledgements, end to end: rows older than ACK_RETENTION_DAYS
are folded into the anonymous tally, daily and at start-up. (Leaving a community
and start-up reconciliation: tests/features/lifecycle/.)"""

from __future__ import annotations

import pytest

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    count,
    enable,
    fields,
    next_day,
    noisy,
    shown,
)
from tests.support.backends import TestDatabase

pytestmark = pytest.mark.both_backends


async def test_retention_folds_old_rows_daily_and_keeps_the_magnitude(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    clock = Clock()
    local = await start_bot(clock=clock, env={"ACK_RETENTION_DAYS": "30"})
    await enable(local, guild)
    users = [emulator.add_user(f"early-{i}") for i in range(11)]
    for user in users:
        assert (await acknowledge(emulator, guild, user)).content == text.THANKS
    first_day = clock.day
    await next_day(local, clock, days=30)  # exactly 30 days old: kept
    assert {row[3] for row in database.rows()} == {first_day}
    await next_day(local, clock)  # 31 days old: folded into the tally, rows deleted
    assert database.rows() == []
    assert database.rows("ack_tallies") == [(guild.id, 11)]
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == shown(
        noisy(guild, 11, clock.day))
    # Someone whose row was folded is no longer recognised, and can say it again.
    assert (await acknowledge(emulator, guild, users[0])).content == text.THANKS
    assert len(database.rows()) == 1


async def test_retention_runs_at_start_up(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, database: TestDatabase
) -> None:
    clock = Clock()
    first = await start_bot(clock=clock)
    await enable(first, guild)
    await acknowledge(emulator, guild, emulator.add_user("someone"))
    await first.stop()
    clock.advance(days=366)
    await start_bot(clock=clock)
    assert database.rows() == []  # done before the bot was ready
    assert database.rows("ack_tallies") == [(guild.id, 1)]
