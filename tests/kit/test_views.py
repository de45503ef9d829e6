"""Buttons and menus are routed by their custom ids (DynamicItems), so the bot
keeps no copy of any view it sent: discord.py would otherwise hold every view of
an ephemeral answer (and a timer task) for 15 minutes, for every answer."""

from __future__ import annotations

import asyncio

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot


async def test_no_view_is_kept_after_sending(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    await running.storage.communities.update(guild.id, acknowledgements_enabled=True)
    timeline = await (await emulator.slash("history timeline", user=member, guild=guild,
                                           options={"year": 2017})).reply()
    menu = await (await emulator.slash("hotline", user=member, guild=guild)).reply()
    links = await (await emulator.slash("hotline", user=member, guild=guild,
                                        options={"country": "GB"})).reply()
    consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply()
    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": guild.channel("general")},
                                permissions=ADMIN_PERMISSIONS)).reply()
    await (await emulator.slash("config reset", user=admin, guild=guild,
                                permissions=ADMIN_PERMISSIONS)).reply()
    assert timeline.buttons() and menu.selects() and consent.buttons() and links.buttons()
    assert running.bot.persistent_views == []
    timers = [t for t in asyncio.all_tasks() if "timeout_task" in repr(t.get_coro())]
    assert timers == []
    # ...and the buttons still work, found again from their custom ids.
    page2 = await (await emulator.press(timeline, "Next", user=member)).reply()
    assert "Page 2 of" in page2.text()
