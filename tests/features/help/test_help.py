"""/help end to end: the real bot, through the emulator."""

from __future__ import annotations

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot


async def test_help_answers_ephemerally_with_the_commands(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash("help", user=member, guild=guild)
    reply = await ix.reply()

    assert reply.ephemeral
    text = reply.text()
    assert "Me Too movement" in text
    assert "/help" in text
    assert "/privacy info" in text  # pointed to even before the privacy feature lands
    # The reply can ping no one.
    assert reply.allowed_mentions == {"parse": []} or reply.allowed_mentions["parse"] == []
    callback = emulator.calls_to("POST", r"/interactions/\d+/[^/]+/callback")
    assert len(callback) == 1 and callback[0].body["data"]["flags"] & 64


async def test_help_shows_the_operator_contact(
    emulator: DiscordEmulator, start_bot, guild: Guild, member: User
) -> None:
    await start_bot(env={"OPERATOR_CONTACT": "privacy@example.org @everyone"})
    reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    assert "privacy@example.org" in reply.text()
    assert "@everyone" not in reply.text()  # neutralised, never a ping
