"""Leaving a community and start-up reconciliation, end to end: a community the
bot was removed from loses every row, at once or at the next start-up; an
outage loses nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.emulator.model import Guild
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot
from bot.storage import CommunityResource
from bot.storage.sqlite.communities import COMMUNITY_TABLES
from tests.conftest import StartBot
from tests.support.acks import acknowledge, enable, key_of, rows


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
    # Its acknowledgements are gone from the disk too, not only from the table: the
    # checkpoint that empties the write-ahead log follows the deleting commit.
    wal = db_path.with_name(db_path.name + "-wal")
    await eventually(lambda: not wal.exists() or wal.stat().st_size == 0,
                     "the deleted rows stayed in the write-ahead log")


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
