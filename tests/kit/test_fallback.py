"""Presses that nothing answers (an old or forged button): one kind, private answer for the
whole bot, never given over the answer of a handler that did match."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import discord
import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import CHANNEL_MESSAGE, DiscordEmulator, Interaction
from bot.kit import text as common
from bot.local import LocalBot


async def press_id(
    emulator: DiscordEmulator, message: Message, custom_id: str, user: User
) -> Interaction:
    """Press an enabled button of `message` as if its custom id were `custom_id`
    (a button of an older version of the bot, or a forged one)."""
    button = next(b for b in message.buttons() if not b.get("disabled") and not b.get("url"))
    button["custom_id"] = custom_id
    return await emulator.press(message, custom_id=custom_id, user=user)


async def answered_once(ix: Interaction) -> Message:
    reply = await ix.reply()
    await asyncio.sleep(0.2)  # room for a second, wrong answer to arrive
    assert len(ix.messages) == 1 and ix.errors == [], "answered more than once"
    return reply


UNKNOWN_IDS = [
    "panel:nope",                 # a known prefix, an unknown action
    "hist:x:1",                   # a known prefix, a shape no template has
    "",                           # empty
    "history:timeline:next:2",    # a plausible id of an older version
    "metoo:consent:yes",          # the consent button before it carried a version
    "privacy:delete:yes-please",  # tampered
    "x" * 100,                    # the longest id Discord allows, matching nothing
]


@pytest.mark.parametrize("custom_id", UNKNOWN_IDS)
async def test_an_unknown_press_on_a_private_answer_is_told_kindly(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, custom_id: str
) -> None:
    message = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    before = copy.deepcopy(message.embeds)
    ix = await press_id(emulator, message, custom_id, member)
    reply = await answered_once(ix)
    # Answered inside Discord's 3 seconds (the emulator refuses a late answer),
    # privately, as a new message: the message pressed is left as it was.
    assert ix.response_type == CHANNEL_MESSAGE
    assert reply.ephemeral and reply.content == common.BUTTON_INACTIVE
    assert reply is not message and message.embeds == before


async def test_an_unknown_press_on_the_public_panel_is_answered_privately(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    general = guild.channel("general")
    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": general},
                                permissions=ADMIN_PERMISSIONS)).reply()
    [panel] = emulator.channel_messages(general)
    for custom_id in ("panel:nope", "panel:help", "panel:metoo:v2"):
        reply = await answered_once(await press_id(emulator, panel, custom_id, member))
        assert reply.ephemeral and reply.content == common.BUTTON_INACTIVE
    assert emulator.channel_messages(general) == [panel]  # nothing posted in public


class SlowButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"test:slow"):
    """A handler that answers late, well inside Discord's 3 seconds."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Slow", custom_id="test:slow"))

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: Any, /) -> SlowButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(1.0)
        await interaction.response.send_message("slow but answered", ephemeral=True)


class SilentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"test:silent"):
    """A handler whose factory refuses the press (discord.py only logs it)."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Silent", custom_id="test:silent"))

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: Any, /) -> SilentButton:
        raise ValueError("refused")


async def test_the_fallback_never_answers_over_a_handler_and_covers_a_silent_one(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    running.bot.add_dynamic_items(SlowButton, SilentButton)
    message = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    slow = await answered_once(await press_id(emulator, message, "test:slow", member))
    assert slow.content == "slow but answered"
    silent = await answered_once(await press_id(emulator, message, "test:silent", member))
    assert silent.ephemeral and silent.content == common.BUTTON_INACTIVE


async def test_known_buttons_are_answered_once_by_their_own_handler(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    message = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    ix = await emulator.press(message, "Next", user=member)
    await ix.acknowledged()
    await asyncio.sleep(0.3)
    assert ix.errors == [] and len(ix.messages) == 1 and ix.messages[0] is message
    assert "Page 2 of" in message.embeds[0]["footer"]["text"]
