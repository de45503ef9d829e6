"""Buttons and menus are routed by their custom ids (DynamicItems), so the bot
keeps no copy of any view it sent: otherwise every /history timeline, consent
prompt or country menu would be held in memory for the life of the process."""

from __future__ import annotations

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
    consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply()
    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": guild.channel("general")},
                                permissions=ADMIN_PERMISSIONS)).reply()
    await (await emulator.slash("config reset", user=admin, guild=guild,
                                permissions=ADMIN_PERMISSIONS)).reply()
    assert timeline.buttons() and menu.selects() and consent.buttons()
    assert running.bot.persistent_views == []
    assert len(running.bot._connection._view_store._views) == 0  # none kept, of any kind
    # ...and the buttons still work, found again from their custom ids.
    page2 = await (await emulator.press(timeline, "Next", user=member)).reply()
    assert "Page 2 of" in page2.text()
