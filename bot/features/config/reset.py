"""/config reset: a confirm, then everything of this community is deleted.

The confirm and cancel buttons are stateless: who asked and when are in the
custom id (bot.kit.custom_ids.ResetId), so a press always gets an answer, even
after a restart; a confirm older than RESET_TIMEOUT is refused. The id ends
with a tag over who, when and the community, so a forged owner or time is
refused. Manage Server is checked in code at the press.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.features.config import text
from bot.features.config.log import announce
from bot.features.config.panel import delete_message
from bot.i18n.translator import Tr
from bot.kit import text as common_text
from bot.kit.checks import can_manage_guild
from bot.kit.cog import bot_of
from bot.kit.custom_ids import ResetId
from bot.kit.respond import (
    NO_MENTIONS,
    answer,
    answers_failures,
    community_locale,
    detached_view,
    in_time,
    reader,
    send,
)

RESET_TIMEOUT = 10 * 60  # seconds a reset confirm stays valid


class ResetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=ResetId.TEMPLATE
):
    """The confirm or cancel button of /config reset (`tr`: the language of its label)."""

    def __init__(self, key: bytes, guild_id: int, reset: ResetId, tr: Tr) -> None:
        # Made here (no tag yet), or pressed: then the tag must be ours, for this community.
        self.authentic = reset.authentic(key, guild_id)
        super().__init__(discord.ui.Button(
            label=tr(text.RESET_CONFIRM if reset.delete else text.RESET_CANCEL),
            style=discord.ButtonStyle.danger if reset.delete else discord.ButtonStyle.secondary,
            custom_id=reset.encode(key, guild_id),
        ))
        self.reset_id = reset

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> ResetButton:
        bot = bot_of(interaction)
        return cls(bot.tag_key, interaction.guild_id or 0, ResetId.from_match(match),
                   reader(interaction))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        tr = reader(interaction)
        if not self.authentic:
            await send(interaction, content=tr(common_text.BUTTON_INACTIVE))
            return
        can_manage_guild(interaction)  # raises: answered kindly by answers_failures
        if interaction.user.id != self.reset_id.user_id:
            await send(interaction, content=tr(text.RESET_NOT_YOURS))
            return
        if not self.reset_id.delete:
            await interaction.response.edit_message(
                content=tr(text.RESET_CANCELLED), view=None, allowed_mentions=NO_MENTIONS)
            return
        now = int(bot_of(interaction).clock().timestamp())
        if not 0 <= now - self.reset_id.at <= RESET_TIMEOUT:
            await interaction.response.edit_message(
                content=tr(text.RESET_EXPIRED), view=None, allowed_mentions=NO_MENTIONS)
            return
        # One answer, once everything is deleted: the prompt is replaced by it.
        note = await in_time(interaction, reset_community(interaction))
        await answer(interaction, content=tr(text.RESET_DONE) + note)


def reset_view(tr: Tr, key: bytes, guild_id: int, user_id: int, at: int) -> discord.ui.View:
    """The confirm and cancel buttons for `user_id`, asked at `at` (Unix seconds)."""
    return detached_view(ResetButton(key, guild_id, ResetId(True, user_id, at), tr),
                         ResetButton(key, guild_id, ResetId(False, user_id, at), tr))


async def reset_community(interaction: discord.Interaction) -> str:
    """Forget everything of this community, delete its panel message and say so
    in its (former) log channel; returns a note about the log for the answer."""
    bot = bot_of(interaction)
    guild_id = interaction.guild_id
    assert guild_id is not None
    before = await bot.storage.communities.settings(guild_id)
    await bot.storage.communities.forget(guild_id)
    if before.panel_channel_id and before.panel_message_id:
        await delete_message(bot, before.panel_channel_id, before.panel_message_id)
    # In the language the community had chosen: after the reset it has none.
    public = bot.translator.for_locale(community_locale(interaction, before.language))
    return await announce(bot, before.log_channel_id, public(text.LOG_RESET),
                          who=interaction.user.id, public=public, private=reader(interaction))
