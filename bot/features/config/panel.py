"""The panel: a public message with three buttons (Me too, Find support, Learn
more) that any member may press; each answers privately.

The buttons are stateless DynamicItems registered at start-up (custom ids
from bot.kit.custom_ids), so a panel posted before a restart keeps working.
Each button opens another feature through a public function of that feature;
when the feature is not loaded here, a short kind fallback says where to go.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.features.config import text
from bot.features.history import send_overview
from bot.features.hotlines import send_community_hotlines
from bot.features.metoo import start_consent
from bot.i18n.translator import Tr
from bot.kit.cog import bot_of
from bot.kit.custom_ids import PANEL_ACTIONS, PanelAction, PanelId
from bot.kit.respond import answers_failures, detached_view, reader, send

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.config")

# What a panel button does when pressed: answers the interaction privately, or
# returns False without answering when its feature is not available here.
Opener = Callable[[discord.Interaction], Awaitable[bool | None]]


@dataclass(frozen=True, slots=True)
class PanelButtonLook:
    label: str  # msgid
    style: discord.ButtonStyle
    fallback: str  # msgid: the answer when the feature it opens is not here


BUTTONS: dict[PanelAction, PanelButtonLook] = {
    "metoo": PanelButtonLook(text.PANEL_METOO, discord.ButtonStyle.primary,
                             text.FALLBACK_METOO),
    "support": PanelButtonLook(text.PANEL_SUPPORT, discord.ButtonStyle.success,
                               text.FALLBACK_SUPPORT),
    "learn": PanelButtonLook(text.PANEL_LEARN, discord.ButtonStyle.secondary,
                             text.FALLBACK_LEARN),
}


# Each button's feature: the module that loads it (FEATURES in bot.app) and the
# public function of that feature that answers.
OPENERS: dict[PanelAction, tuple[str, Opener]] = {
    "metoo": ("bot.features.metoo.cog", start_consent),
    "support": ("bot.features.hotlines.cog", send_community_hotlines),
    "learn": ("bot.features.history.cog", send_overview),
}


class PanelButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=PanelId.TEMPLATE
):
    """One of the panel's three buttons (`tr`: the language of its label)."""

    def __init__(self, action: PanelAction, tr: Tr) -> None:
        look = BUTTONS[action]
        super().__init__(discord.ui.Button(label=tr(look.label), style=look.style,
                                           custom_id=PanelId(action).encode()))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> PanelButton:
        return cls(PanelId.from_match(match).action, reader(interaction))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        await press(interaction, self.action)


async def press(interaction: discord.Interaction, action: PanelAction) -> None:
    """Any member may press: hand over to the feature that answers (always
    privately), or a short kind fallback when that feature is not loaded here."""
    extension, open_feature = OPENERS[action]
    if extension not in bot_of(interaction).extensions or \
            await open_feature(interaction) is False:
        await send(interaction, content=reader(interaction)(BUTTONS[action].fallback))


def panel_view(tr: Tr) -> discord.ui.View:
    """The panel's buttons, labelled in the community's language (`tr`)."""
    return detached_view(*(PanelButton(action, tr) for action in PANEL_ACTIONS))


async def delete_message(bot: MetooBot, channel_id: int, message_id: int) -> bool:
    """Delete one of the bot's own messages (an old panel); True when it is gone."""
    try:
        channel = bot.get_partial_messageable(channel_id)
        await channel.get_partial_message(message_id).delete()
    except discord.NotFound:
        return True
    except discord.HTTPException as exc:
        log.info("could not delete an old panel message: HTTP %s", exc.status)
        return False
    return True
