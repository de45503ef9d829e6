"""Answering an interaction whatever its state, and the one error handler.

Every feature answers through `send`, so that the response state (not yet
answered, deferred, or expired) is handled in one place.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.i18n.languages import CHOOSABLE
from bot.i18n.translator import ENGLISH, Tr, Translator
from bot.kit import text as common
from bot.kit.checks import BotNotInServer, bot_in_server
from bot.storage import StorageError

log = logging.getLogger("bot.errors")

NO_MENTIONS = discord.AllowedMentions.none()

# What became of an interaction, for the bot's metrics (bot/metrics.py): kept in
# the interaction's `extras` under OUTCOME ("error", "refused" or "inactive"; none
# set: answered normally), with the failure's exception type under ERROR_TYPE.
# The metrics put a callback under FINISHED on the interactions they observe;
# whoever knows that every handler of an interaction is done calls `finished`.
OUTCOME = "metoo.outcome"
ERROR_TYPE = "metoo.error_type"
FINISHED = "metoo.finished"


def finished(interaction: discord.Interaction) -> None:
    """Every handler of `interaction` is done: tell the metrics, if they observe it."""
    callback = interaction.extras.pop(FINISHED, None)
    if callback is not None:
        callback(interaction)


async def send(interaction: discord.Interaction, *, ephemeral: bool = True, **kwargs: Any) -> None:
    """Send the answer: as the response if there is none yet, else as a follow-up
    (which fills a deferred "thinking" message)."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.is_expired():
        log.warning("interaction expired before it could be answered")
        return
    if not interaction.response.is_done():
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)


# How long an answer waits for a read it can do without (a community's country,
# its own resources, its language): the whole answer must start within
# Discord's 3 seconds.
READ_TIMEOUT = 1.5


def public_here(interaction: discord.Interaction, public: bool) -> bool:
    """Whether an answer asked for with `public` is posted for everyone: only
    where the bot is in the server. Elsewhere (a DM, a group DM, a server
    reached through a person's own install) every answer is private, and
    `explain_private` says why after it."""
    return public and bot_in_server(interaction)


async def explain_private(interaction: discord.Interaction, public: bool) -> None:
    """After the answer: when `public` was asked for where the bot cannot post
    for everyone, say so kindly (privately, in the person's language)."""
    if public and not public_here(interaction, public):
        await send(interaction, content=reader(interaction)(common.PUBLIC_NEEDS_THE_BOT))


def community_locale(interaction: discord.Interaction, language: str | None) -> str:
    """The language of a community's public posts: its `/config language`
    (`language`, a shipped language), or with `auto` (None) the server's own
    Discord language (`guild_locale`); outside a server, the person's."""
    if language is not None and language in CHOOSABLE:
        return language
    return str(interaction.guild_locale or interaction.locale)


async def community_language(interaction: discord.Interaction) -> str | None:
    """The community's `/config language` (None: auto, also when it cannot be
    read in time: a public post in the server's language beats no answer)."""
    storage = getattr(interaction.client, "storage", None)
    if interaction.guild_id is None or storage is None:
        return None
    try:
        settings = await asyncio.wait_for(storage.communities.settings(interaction.guild_id),
                                          READ_TIMEOUT)
    except (StorageError, TimeoutError):
        log.warning("the community's language could not be read; using the server's")
        return None
    language: str | None = settings.language
    return language


def _translator(interaction: discord.Interaction) -> Translator | None:
    translator = getattr(interaction.client, "translator", None)
    return translator if isinstance(translator, Translator) else None


def reader(interaction: discord.Interaction) -> Tr:
    """The texts for a private answer to `interaction`: the person's Discord
    language, through the bot's translator (English when the client has none).
    For code outside a cog, such as a DynamicItem; a cog has `self.tr`."""
    translator = _translator(interaction)
    return translator.for_locale(str(interaction.locale)) if translator else ENGLISH


async def public_reader(interaction: discord.Interaction, *, public: bool = True) -> Tr:
    """The texts for an answer that is posted for everyone to read (`public`):
    the community's language (`community_locale`); for a private one, the
    person's (`reader`)."""
    translator = _translator(interaction)
    if not public or translator is None:
        return reader(interaction)
    locale = community_locale(interaction, await community_language(interaction))
    return translator.for_locale(locale)


def describe(interaction: discord.Interaction) -> str:
    """What failed, for a log line: the command's name or the kind of component,
    never option values, custom ids or user ids."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    if interaction.type is discord.InteractionType.component:
        return "a component"
    return str(interaction.type.name)


def message_for(error: Exception) -> str:
    """The msgid of the kind answer to `error`."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.NoPrivateMessage):
        return common.ERROR_GUILD_ONLY
    if isinstance(error, BotNotInServer):
        return common.ERROR_BOT_NOT_IN_SERVER
    if isinstance(error, app_commands.MissingPermissions):
        return common.ERROR_NO_PERMISSION
    if isinstance(error, app_commands.CommandOnCooldown):
        return common.ERROR_COOLDOWN
    if isinstance(error, app_commands.TransformerError):
        return common.ERROR_BAD_INPUT
    if isinstance(error, StorageError):
        # Locked, read-only or full: a write could not be made; nothing half-written.
        return common.ERROR_DATABASE_BUSY
    return common.ERROR_GENERIC


async def report_failure(interaction: discord.Interaction, error: Exception) -> None:
    """Tell the user kindly and privately; log only what failed and the exception type."""
    original = getattr(error, "original", error)
    expected = isinstance(error, app_commands.CheckFailure | app_commands.TransformerError)
    interaction.extras[OUTCOME] = "refused" if expected else "error"
    interaction.extras[ERROR_TYPE] = type(original).__name__
    if expected:
        log.info("%s refused: %s", describe(interaction), type(error).__name__)
    else:
        where = "".join(traceback.format_tb(original.__traceback__)[-3:]).rstrip()
        log.error("%s failed: %s\n%s", describe(interaction), type(original).__name__, where)
    try:
        await send(interaction, content=reader(interaction)(message_for(error)))
    except discord.HTTPException as exc:
        log.warning("could not tell the user about the failure: HTTP %s", exc.status)


def detached_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view only to render components. It is stopped before sending, so discord.py
    keeps no copy of it: for an ephemeral message it would otherwise hold the view
    and a timer task for 15 minutes, for every answer. Presses are routed by the
    DynamicItem templates registered at start-up, the same before and after a
    restart; link buttons send no interaction at all."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


Item = TypeVar("Item")


def answers_failures(
    callback: Callable[[Item, discord.Interaction], Awaitable[None]],
) -> Callable[[Item, discord.Interaction], Coroutine[Any, Any, None]]:
    """For a DynamicItem's callback: discord.py only logs a dynamic item's
    exceptions, so the person pressing would get no answer. This answers them
    as the tree's handler does."""

    @functools.wraps(callback)
    async def guarded(self: Item, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            await report_failure(interaction, error)

    return guarded
