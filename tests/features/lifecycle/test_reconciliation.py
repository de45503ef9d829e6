"""Start-up reconciliation deletes the data of communities the bot left while
offline, never a community that joins while it runs, only once it can tell
(every shard READY, no community in an outage), and at most 10% of them at
once unless the operator runs `python -m bot reconcile --force`."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from tests.conftest import StartBot
from tests.support.backends import TestDatabase, eventually
from tests.support.program import program_env, run_program

pytestmark = pytest.mark.both_backends


def countries(database: TestDatabase) -> dict[int, str]:
    return {row[0]: row[1] for row in database.rows("community_settings")}


async def test_a_community_that_joins_during_reconciliation_keeps_its_data(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User,
    database: TestDatabase,
    monkeypatch: pytest.MonkeyPatch, captured_logs: pytest.LogCaptureFixture,
) -> None:
    first = await start_bot()
    back = guild  # removed while the bot was offline, added again just after READY
    gone = emulator.add_guild("Left for good")
    await emulator.join_guild(gone)
    for community in (back, gone):
        await first.storage.communities.update(community.id, country="GB")
    await first.stop()
    started = time.time()
    emulator.guilds.pop(back.id)
    emulator.guilds.pop(gone.id)
    new = emulator.add_guild("New community")
    emulator.guilds.pop(new.id)  # not yet: it joins during reconciliation

    # Reconciliation has just read which communities the database holds; now two
    # communities join (GUILD_CREATE) and their admins configure them at once.
    joined = asyncio.Event()
    store = type(database.stores().communities)  # this backend's CommunityStore
    read_known_ids = store.known_ids

    async def known_ids(self: object) -> set[int]:
        found = await read_known_ids(self)  # type: ignore[arg-type]
        if not joined.is_set():
            joined.set()
            for community in (back, new):
                await emulator.join_guild(community)
                changed = await emulator.slash("config country", user=admin, guild=community,
                                               options={"code": "DE"},
                                               permissions=ADMIN_PERMISSIONS)
                assert "Germany" in (await changed.reply()).text()
        return found

    monkeypatch.setattr(store, "known_ids", known_ids)
    await start_bot()
    # The cog's module is loaded afresh by discord.py, so its end is seen in its log.
    for _ in range(1500):
        if any(r.name == "bot.lifecycle" and ("no longer in" in r.getMessage()
                                              or "reconciliation" in r.getMessage())
               for r in captured_logs.records if r.created > started):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("reconciliation did not finish")

    assert joined.is_set()
    assert countries(database) == {back.id: "DE", new.id: "DE"}  # "gone" was deleted


async def test_reconciliation_waits_until_no_community_is_in_an_outage(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, database: TestDatabase,
    captured_logs: pytest.LogCaptureFixture,
) -> None:
    """A community in an outage arrives unavailable: the bot cannot tell yet which
    communities it left, so it deletes nothing until the outage is over."""
    first = await start_bot()
    gone = emulator.add_guild("Left while offline")
    await emulator.join_guild(gone)
    for community in (guild, gone):
        await first.storage.communities.update(community.id, country="GB")
    await first.stop()
    emulator.guilds.pop(gone.id)  # removed while the bot was offline
    await emulator.guild_outage(guild)  # and this one is in an outage as the bot starts

    local = await start_bot()
    unavailable = local.bot.get_guild(guild.id)
    assert unavailable is not None and unavailable.unavailable
    await eventually(lambda: any("reconciliation waits: 1 community(ies) unavailable"
                                 in r.getMessage() for r in captured_logs.records),
                     "the wait was not logged")
    await asyncio.sleep(0.3)
    assert countries(database) == {guild.id: "GB", gone.id: "GB"}  # nothing deleted yet

    await emulator.guild_recovers(guild)  # GUILD_CREATE: available again
    await eventually(lambda: countries(database) == {guild.id: "GB"},
                     "reconciliation did not run once the outage was over")


async def reconcile_program(emulator: DiscordEmulator, database: TestDatabase, tmp_path,
                            *args: str):  # type: ignore[no-untyped-def]
    env = program_env(DISCORD_TOKEN=emulator.token, DATABASE_URL=database.env,
                      DISCORD_API_BASE_URL=emulator.api_base)
    return await asyncio.to_thread(run_program, ["reconcile", *args], tmp_path, env)


async def test_more_than_a_tenth_at_once_waits_for_the_operator(
    emulator: DiscordEmulator, start_bot: StartBot, database: TestDatabase, tmp_path,
    captured_logs: pytest.LogCaptureFixture,
) -> None:
    """The purge valve: of 30 communities, 3 removed while the bot was offline
    (10%) are deleted at start-up; then 3 more of the 27 left (over 10%) are not:
    the operator is told, `python -m bot reconcile` refuses too, and `--force`
    deletes them."""
    communities = [emulator.add_guild(f"Community {i}") for i in range(30)]
    first = await start_bot()
    for community in communities:
        await first.storage.communities.update(community.id, country="GB")
    await first.stop()

    for community in communities[:3]:
        emulator.guilds.pop(community.id)
    local = await start_bot()
    kept = {c.id for c in communities[3:]}
    await eventually(lambda: set(countries(database)) == kept, "3 of 30 were not deleted")
    await local.stop()

    for community in communities[3:6]:
        emulator.guilds.pop(community.id)
    started = time.time()
    local = await start_bot()

    def refusal() -> list[str]:
        return [r.getMessage() for r in captured_logs.records
                if r.created >= started and r.levelno == logging.WARNING
                and "reconcile --force" in r.getMessage()]

    await eventually(lambda: bool(refusal()), "the refusal was not logged for the operator")
    assert "3 of the 27 communities" in refusal()[0] and "nothing deleted" in refusal()[0]
    assert set(countries(database)) == kept

    if database.kind == "sqlite":  # SQLite serves one process: the operator stops the bot
        await local.stop()
    held = await reconcile_program(emulator, database, tmp_path)
    assert held.returncode == 1
    assert held.stderr.count("\n") == 1 and "--force" in held.stderr
    assert "3 of the 27" in held.stderr and set(countries(database)) == kept

    forced = await reconcile_program(emulator, database, tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.strip() == ("deleted the data of 3 of the 27 communities the "
                                     "database held data of: the bot is no longer in them")
    assert set(countries(database)) == {c.id for c in communities[6:]}

    again = await reconcile_program(emulator, database, tmp_path)
    assert again.returncode == 0 and "nothing deleted" in again.stdout
