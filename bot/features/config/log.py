"""The configuration log: each change to a community's settings, posted in the
channel its admins chose (`/config log-channel`).

A post names who made the change with a mention string (`<@id>`): it renders
as the member's current name, is clickable, cannot be spoofed by a display name
full of markdown or mention text, and, sent with allowed_mentions none, pings
nobody. A member's own use of the bot is never logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.features.config import text
from bot.features.config.render import log_entry
from bot.i18n.translator import Tr
from bot.kit.respond import NO_MENTIONS

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.config")


async def announce(
    bot: MetooBot, channel_id: int | None, line: str, *, who: int, public: Tr, private: Tr
) -> str:
    """Post `line` (in the community's language, `public`) to the log channel
    `channel_id`, if there is one. Returns a note for the admin's answer (in
    their language, `private`) when that failed, else "": the change itself
    stays saved either way."""
    if channel_id is None:
        return ""
    try:
        channel = bot.get_partial_messageable(channel_id)
        await channel.send(content=log_entry(public, who, line), allowed_mentions=NO_MENTIONS)
    except discord.Forbidden:
        return private(text.LOG_NOTE_FORBIDDEN, channel=f"<#{channel_id}>")
    except discord.NotFound:
        return private(text.LOG_NOTE_GONE)
    except discord.HTTPException as exc:
        log.warning("could not post to a configuration log: HTTP %s", exc.status)
        return private(text.LOG_NOTE_OTHER, channel=f"<#{channel_id}>")
    return ""
