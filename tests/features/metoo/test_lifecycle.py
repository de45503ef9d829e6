"""Leaving a community, start-up reconciliation and retention, end to end
(docs/PRIVACY.md, rules 7 and 8)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.local import LocalBot
from bot.storage import CommunityResource
from bot.storage.sqlite.communities import COMMUNITY_TABLES
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    count,
    enable,
    fields,
    key_of,
    next_day,
    noisy,
    rows,
    shown,
)


async def fill(local: LocalBot, guild: Guild, emulator: DiscordEmulator) -> None:
    """Give a community a row in every table: settings, a resource, acknowledgements,
    a tally and a snapshot."""
    await enable(local, guild, country="GB")
    await local.storage.communities.add_resource(
        CommunityResource(guild.id, "Campus help", "Counselling", None, None, "2026-01-01"),
        limit=10)
    for name in ("a", "b"):
        await acknowledge(emulator, guild, emulator.add_user(f"{name}-{guild.id % 997}"))
    await local.storage.acks.add(guild.id, key_of(guild, emulator.add_user("old")), 1,
                                 "2020-01-01")
    await local.storage.acks.fold_expired("2021-01-01")
    await local.storage.backend.execute(
        "INSERT INTO ack_snapshots (guild_id, day, total) VALUES (?, '2030-01-01', 10)",
        (guild.id,))


def tables_with(db_path: Path, guild: Guild) -> set[str]:
    return {table for table in COMMUNITY_TABLES
            if any(row[0] == guild.id for row in rows(db_path, table))}


async def eventually(condition, what: str) -> None:
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(what)


async def test_removal_deletes_everything_of_that_community_but_an_outage_does_not(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, db_path: Path
) -> None:
    other = emulator.add_guild("Staying community")
    await emulator.join_guild(other)
    for community in (guild, other):
        await fill(running, community, emulator)
    assert tables_with(db_path, guild) == set(COMMUNITY_TABLES)

    await emulator.guild_outage(other)  # GUILD_DELETE with unavailable: still a member
    await emulator.remove_guild(guild)  # GUILD_DELETE without it: removed
    await eventually(lambda: not tables_with(db_path, guild), "the community was not forgotten")
    assert tables_with(db_path, other) == set(COMMUNITY_TABLES)
    # Its acknowledgements are gone from the disk too, not only from the table.
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


async def test_start_up_deletes_communities_left_while_offline(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, db_path: Path
) -> None:
    first = await start_bot()
    other = emulator.add_guild("Staying community")
    await emulator.join_guild(other)
    for community in (guild, other):
        await fill(first, community, emulator)
    await first.stop()
    emulator.guilds.pop(guild.id)  # removed while the bot was not running
    await start_bot()
    await eventually(lambda: not tables_with(db_path, guild), "reconciliation did not run")
    assert tables_with(db_path, other) == set(COMMUNITY_TABLES)


async def test_retention_folds_old_rows_daily_and_keeps_the_magnitude(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User, db_path: Path
) -> None:
    clock = Clock()
    local = await start_bot(clock=clock, env={"ACK_RETENTION_DAYS": "30"})
    await enable(local, guild)
    users = [emulator.add_user(f"early-{i}") for i in range(11)]
    for user in users:
        assert (await acknowledge(emulator, guild, user)).content == text.THANKS
    first_day = clock.day
    await next_day(local, clock, days=30)  # exactly 30 days old: kept
    assert {row[3] for row in rows(db_path)} == {first_day}
    await next_day(local, clock)  # 31 days old: folded into the tally, rows deleted
    assert rows(db_path) == []
    assert rows(db_path, "ack_tallies") == [(guild.id, 11)]
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == shown(
        noisy(guild, 11, clock.day))
    # Someone whose row was folded is no longer recognised, and can say it again.
    assert (await acknowledge(emulator, guild, users[0])).content == text.THANKS
    assert len(rows(db_path)) == 1


async def test_retention_runs_at_start_up(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, db_path: Path
) -> None:
    clock = Clock()
    first = await start_bot(clock=clock)
    await enable(first, guild)
    await acknowledge(emulator, guild, emulator.add_user("someone"))
    await first.stop()
    clock.advance(days=366)
    await start_bot(clock=clock)
    assert rows(db_path) == []  # done before the bot was ready
    assert rows(db_path, "ack_tallies") == [(guild.id, 1)]
