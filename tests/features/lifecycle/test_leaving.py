"""Leaving a community and start-up reconciliation, end to end: a community the
bot was removed from loses every row, at once or at the next start-up; an
outage loses nothing."""

from __future__ import annotations

import pytest

from bot.emulator.model import Guild
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot
from bot.storage import CommunityResource
from bot.storage.records import COMMUNITY_TABLES
from tests.conftest import StartBot
from tests.support.acks import acknowledge, enable, key_of
from tests.support.backends import ONLY_SQLITE, TestDatabase, eventually

pytestmark = pytest.mark.both_backends


async def fill(local: LocalBot, guild: Guild, emulator: DiscordEmulator,
               database: TestDatabase) -> list[bytes]:
    """Give a community a row in every table: settings, a resource, acknowledgements,
    a tally and a snapshot. Returns the keys of its acknowledgements."""
    await enable(local, guild, country="GB")
    await local.storage.communities.add_resource(
        CommunityResource(guild.id, "Campus help", "Counselling", None, None, "2026-01-01"),
        limit=10)
    members = [emulator.add_user(f"{name}-{guild.id % 997}") for name in ("a", "b")]
    for member in members:
        await acknowledge(emulator, guild, member)
    await local.storage.acks.add(guild.id, key_of(guild, emulator.add_user("old")), 1,
                                 "2020-01-01")
    await local.storage.acks.fold_expired("2021-01-01")
    await database.execute(
        local.storage,
        "INSERT INTO ack_snapshots (guild_id, day, total) VALUES (?, '2030-01-01', 10)",
        guild.id)
    return [key_of(guild, member) for member in members]


def tables_with(database: TestDatabase, guild: Guild) -> set[str]:
    return {table for table in COMMUNITY_TABLES
            if any(row[0] == guild.id for row in database.rows(table))}


async def test_removal_deletes_everything_of_that_community_but_an_outage_does_not(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, database: TestDatabase
) -> None:
    other = emulator.add_guild("Staying community")
    await emulator.join_guild(other)
    keys = await fill(running, guild, emulator, database)
    await fill(running, other, emulator, database)
    assert tables_with(database, guild) == set(COMMUNITY_TABLES)

    await emulator.guild_outage(other)  # GUILD_DELETE with unavailable: still a member
    await emulator.remove_guild(guild)  # GUILD_DELETE without it: removed
    await eventually(lambda: not tables_with(database, guild), "the community was not forgotten")
    assert tables_with(database, other) == set(COMMUNITY_TABLES)
    # Its acknowledgements are gone from the storage too, not only from the table.
    for key in keys:
        assert await database.gone(key)


@ONLY_SQLITE
async def test_a_removed_community_leaves_the_write_ahead_log_at_once(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, database: TestDatabase
) -> None:
    """The checkpoint that empties SQLite's write-ahead log follows the deleting commit."""
    await fill(running, guild, emulator, database)
    await emulator.remove_guild(guild)
    await eventually(lambda: not tables_with(database, guild), "the community was not forgotten")
    assert database.path is not None
    wal = database.path.with_name(database.path.name + "-wal")
    await eventually(lambda: not wal.exists() or wal.stat().st_size == 0,
                     "the deleted rows stayed in the write-ahead log")


async def test_start_up_deletes_communities_left_while_offline(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, database: TestDatabase
) -> None:
    first = await start_bot()
    other = emulator.add_guild("Staying community")
    await emulator.join_guild(other)
    for community in (guild, other):
        await fill(first, community, emulator, database)
    await first.stop()
    emulator.guilds.pop(guild.id)  # removed while the bot was not running
    await start_bot()
    await eventually(lambda: not tables_with(database, guild), "reconciliation did not run")
    assert tables_with(database, other) == set(COMMUNITY_TABLES)
