"""Answers that cannot change are serialised once and posted as they are
(bot.kit.respond.send_fixed): one callback each, without asking Discord to send
the message back, the same body every time, and the same message a person sees
as through discord.py's own path (the emulator checks every body against
Discord's OpenAPI description and that it pings nobody)."""

from __future__ import annotations

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text as metoo_text
from bot.kit.respond import fixed_answer
from bot.local import LocalBot
from tests.support.acks import consent, enable


async def test_fixed_answers_are_posted_once_as_serialised(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    await enable(running, guild)
    asks = [("hotline", {"country": "GB"}), ("history timeline", {"year": 2017}),
            ("metoo count", {}), ("hotline", {"country": "GB", "public": True})]
    for command, options in asks:
        bodies = []
        for _ in range(2):
            before = len(emulator.calls)
            ix = await emulator.slash(command, user=member, guild=guild, options=options)
            reply = await ix.reply()
            assert reply.ephemeral is not bool(options.get("public")), command
            assert reply.embeds and reply.allowed_mentions == {"parse": []}
            callbacks = [c for c in emulator.calls[before:] if c.path.endswith("/callback")]
            assert len(callbacks) == 1 and callbacks[0].status == 204, command
            assert "with_response" not in callbacks[0].query
            bodies.append(callbacks[0].body)
        assert bodies[0]["data"]["embeds"] == bodies[1]["data"]["embeds"], command


async def test_a_write_answered_in_words_replaces_the_message_as_serialised(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """The thanks of a quick confirmation replaces the consent message in one
    callback (UPDATE_MESSAGE), without asking for the message back; the embed
    and the buttons go, the message stays private."""
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    before = len(emulator.calls)
    press = await emulator.press(explanation, "me too", user=member)
    thanks = await press.reply()
    callbacks = [c for c in emulator.calls[before:] if c.path.endswith("/callback")]
    assert len(callbacks) == 1 and callbacks[0].status == 204
    assert "with_response" not in callbacks[0].query
    assert callbacks[0].body["type"] == 7
    assert thanks is explanation and thanks.content == metoo_text.THANKS
    assert thanks.ephemeral and thanks.embeds == [] and thanks.buttons() == []
    assert thanks.allowed_mentions == {"parse": []}


async def test_a_fixed_answer_is_what_discord_py_would_send(running: LocalBot) -> None:
    """The serialised body is discord.py's own rendering of the same card."""
    import json

    import discord

    from bot.kit.cards import Card, Field
    from bot.kit.embeds import to_embed

    card = Card("Title", "Text", fields=(Field("A", "B"),), footer="Foot")
    answer = fixed_answer(card, content="Note", links=(("Site", "https://example.org"),))
    data = json.loads(b"{" + answer.data + b"}")
    assert data["embeds"] == [to_embed(card).to_dict()]
    assert data["content"] == "Note" and data["flags"] == 64
    assert data["allowed_mentions"] == discord.AllowedMentions.none().to_dict()
    assert data["components"][0]["components"][0]["url"] == "https://example.org"
    assert fixed_answer(card, content="Note", links=(("Site", "https://example.org"),)) is answer
