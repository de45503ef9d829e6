"""With the database locked by another writer, reading commands
still answer, a write gets a kind private error within Discord's follow-up
window, nothing is half-written, and the bot recovers by itself."""

from __future__ import annotations

import sqlite3

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.kit import text as common
from bot.local import LocalBot


async def test_a_locked_database(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    await running.storage.communities.update(guild.id, acknowledgements_enabled=True)
    consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply()

    blocker = sqlite3.connect(running.storage.backend.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        for command, options in (("help", {}), ("history overview", {}),
                                 ("hotline", {"country": "GB"}), ("privacy info", {})):
            reply = await (await emulator.slash(command, user=member, guild=guild,
                                                options=options)).reply()
            assert reply.ephemeral and common.ERROR_DATABASE_BUSY not in reply.text(), command

        pressed = await emulator.press(consent, "me too", user=member)
        assert await pressed.acknowledged() == 5  # deferred at once, privately
        refused = await pressed.reply(timeout=30)
        assert refused.ephemeral and refused.content == common.ERROR_DATABASE_BUSY

        changed = await emulator.slash("config threshold", user=admin, guild=guild,
                                       options={"value": 20}, permissions=ADMIN_PERMISSIONS)
        assert (await changed.reply(timeout=30)).content == common.ERROR_DATABASE_BUSY
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    rows = sqlite3.connect(running.storage.backend.path)
    try:
        assert rows.execute("SELECT count(*) FROM acknowledgements").fetchone() == (0,)
        assert rows.execute("SELECT threshold FROM community_settings").fetchone() == (10,)
    finally:
        rows.close()
    assert (await running.storage.communities.settings(guild.id)).threshold == 10

    # The lock is gone: the same press now works, without a restart.
    again = await (await emulator.press(consent, "me too", user=member)).reply()
    assert "Thank you" in again.text()
    changed = await emulator.slash("config threshold", user=admin, guild=guild,
                                   options={"value": 20}, permissions=ADMIN_PERMISSIONS)
    assert "20" in (await changed.reply()).text()
