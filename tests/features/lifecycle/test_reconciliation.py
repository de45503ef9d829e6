"""Start-up reconciliation deletes the data of communities the bot left while
offline, and never a community that joins while it runs (issue 11, point 5)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.storage.sqlite.communities import CommunityStore
from tests.conftest import StartBot
from tests.support.acks import (
    rows,
)


def countries(db_path: Path) -> dict[int, str]:
    return {row[0]: row[1] for row in rows(db_path, "community_settings")}


async def test_a_community_that_joins_during_reconciliation_keeps_its_data(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User, db_path: Path,
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
    read_known_ids = CommunityStore.known_ids

    async def known_ids(self: CommunityStore) -> set[int]:
        found = await read_known_ids(self)
        if not joined.is_set():
            joined.set()
            for community in (back, new):
                await emulator.join_guild(community)
                changed = await emulator.slash("config country", user=admin, guild=community,
                                               options={"code": "DE"},
                                               permissions=ADMIN_PERMISSIONS)
                assert "Germany" in (await changed.reply()).text()
        return found

    monkeypatch.setattr(CommunityStore, "known_ids", known_ids)
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
    assert countries(db_path) == {back.id: "DE", new.id: "DE"}  # "gone" was deleted
