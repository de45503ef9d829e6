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
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.i18n.languages import CHOOSABLE
from bot.i18n.translator import ENGLISH, Tr, Translator
from bot.kit import text as common
from bot.kit.cards import Card, Limits
from bot.kit.checks import BotNotInServer, bot_in_server
from bot.kit.embeds import to_embed
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


# ------------------------------------------------------------ fixed answers
EPHEMERAL_FLAG = 64  # Discord's message flag of a private answer
_CHANNEL_MESSAGE = discord.InteractionResponseType.channel_message
_UPDATE_MESSAGE = discord.InteractionResponseType.message_update


@dataclass(frozen=True, eq=False)
class Fixed:
    """An answer that cannot change while the bot runs (a hotline page, a page
    of the timeline, a count of the day in one language), serialised once."""

    ephemeral: bool
    content: str | None
    card: Card | None
    links: tuple[tuple[str, str], ...]  # (label, url) of link buttons
    data: bytes  # the members of the callback's "data" object, JSON, without braces


def link_buttons(links: tuple[tuple[str, str], ...]) -> discord.ui.View | None:
    """Link buttons (they send no interaction), at most one message's worth."""
    if not links:
        return None
    return detached_view(*(discord.ui.Button(style=discord.ButtonStyle.link, label=label,
                                             url=url)
                           for label, url in links[:Limits.BUTTONS_PER_MESSAGE]))


@functools.lru_cache(maxsize=4096)
def fixed_answer(card: Card | None = None, *, content: str | None = None,
                 links: tuple[tuple[str, str], ...] = (), ephemeral: bool = True,
                 replacing: bool = False) -> Fixed:
    """The answer of `card` (and `content`, link buttons `links`), serialised
    exactly as discord.py would send it, once per distinct answer. `replacing`:
    it replaces the message of the pressed button, whose embeds and buttons go."""
    data: dict[str, Any] = {}
    if content is not None:
        data["content"] = content
    if card is not None:
        data["embeds"] = [to_embed(card).to_dict()]
    elif replacing:
        data["embeds"] = []
    view = link_buttons(links)
    if view is not None:
        data["components"] = view.to_components()
    elif replacing:
        data["components"] = []
    data["allowed_mentions"] = NO_MENTIONS.to_dict()
    if ephemeral and not replacing:  # a message keeps its own flags when replaced
        data["flags"] = EPHEMERAL_FLAG
    return Fixed(ephemeral, content, card, links,
                 discord.utils._to_json(data).encode()[1:-1])


async def _post_fixed(interaction: discord.Interaction, kind: discord.InteractionResponseType,
                      body: bytes) -> bool:
    """Post a serialised first response of `kind` without asking Discord to
    send the message back (discord.py would build, encode, then parse back the
    whole message for every answer). False if it was not taken: the caller
    then goes the ordinary way, which reports errors."""
    http = interaction._state.http
    try:
        async with interaction._session.post(
            f"{discord.http.Route.BASE}/interactions/{interaction.id}/{interaction.token}"
            "/callback",
            data=b'{"type":%d,"data":{%b}}' % (kind.value, body),
            headers={"Content-Type": "application/json", "User-Agent": http.user_agent},
            proxy=http.proxy, proxy_auth=http.proxy_auth,
        ) as response:
            if response.status in (200, 204):
                interaction.response._response_type = kind
                return True
    except OSError:
        pass  # not sent: the ordinary path tries again and reports
    return False


def components_json(view: discord.ui.View) -> bytes:
    """The components of `view`, serialised as discord.py sends them."""
    return discord.utils._to_json(view.to_components()).encode()


async def send_fixed(interaction: discord.Interaction, answer: Fixed,
                     view: discord.ui.View | Callable[[], discord.ui.View] | None = None,
                     components: bytes | None = None) -> None:
    """Send a fixed answer, as `send` would, with the components that differ
    per answer (such as a pager naming its owner): `view`, or made by `view()`
    when needed, or already serialised (`components`, with `view` for the
    ordinary path). As the first response it is posted as it was serialised
    (`_post_fixed`); anything unusual (already answered, expired, refused) goes
    the ordinary way through `send`."""
    if not interaction.response.is_done() and not interaction.is_expired():
        body = answer.data
        if components is None and view is not None:
            components = components_json(view if isinstance(view, discord.ui.View) else view())
        if components is not None:
            body += b',"components":' + components
        if await _post_fixed(interaction, _CHANNEL_MESSAGE, body):
            return
    if view is not None and not isinstance(view, discord.ui.View):
        view = view()
    kwargs: dict[str, Any] = {}
    if answer.content is not None:
        kwargs["content"] = answer.content
    if answer.card is not None:
        kwargs["embed"] = to_embed(answer.card)
    view = view or link_buttons(answer.links)
    if view is not None:
        kwargs["view"] = view
    await send(interaction, ephemeral=answer.ephemeral, **kwargs)


# A write answers once, directly, when its COMMIT lands within this many seconds
# of the press or command; otherwise the bot defers privately first (Discord
# allows 3 seconds for the first response) and answers with a follow-up once the
# write is done. Read at each use, so a test may shorten it.
DEFER_WRITE_AFTER = 2.0

T = TypeVar("T")


async def in_time(interaction: discord.Interaction, work: Awaitable[T]) -> T:
    """Await `work` (a write, and the checks before it); if it has not finished
    DEFER_WRITE_AFTER seconds after this call, defer privately ("thinking") and
    keep waiting. Either way the caller answers only after `work` is done, with
    `answer`: directly when it was quick, as the follow-up when it was not."""
    loop = asyncio.get_running_loop()
    deferring: list[asyncio.Task[Any]] = []

    def defer() -> None:
        if not interaction.response.is_done():
            deferring.append(loop.create_task(
                interaction.response.defer(ephemeral=True, thinking=True)))

    # A timer rather than a second task: the quick path (nearly every write)
    # costs one timer handle and no extra await.
    timer = loop.call_later(DEFER_WRITE_AFTER, defer)
    try:
        return await work
    finally:
        timer.cancel()
        if deferring:  # the answer must come after the defer, never race it
            await deferring[0]


async def answer(interaction: discord.Interaction, *, content: str,
                 embed: discord.Embed | None = None,
                 view: discord.ui.View | None = None) -> None:
    """The one private answer to a press or command that wrote (after `in_time`).
    Not yet answered: a button on a private message has that message replaced
    in place (one request); anything else gets a new private message. Deferred:
    the follow-up fills the "thinking" message."""
    if interaction.is_expired():
        log.warning("interaction expired before it could be answered")
        return
    if not interaction.response.is_done():
        message = interaction.message
        if (interaction.type is discord.InteractionType.component and message is not None
                and message.flags.ephemeral):
            if embed is None and view is None and await _post_fixed(
                    interaction, _UPDATE_MESSAGE,
                    fixed_answer(content=content, replacing=True).data):
                return  # words only (a thanks, a deletion's result): one per language
            await interaction.response.edit_message(
                content=content, embed=embed, view=view,
                allowed_mentions=NO_MENTIONS)
            return
    extra: dict[str, Any] = {}
    if embed is not None:
        extra["embed"] = embed
    if view is not None:
        extra["view"] = view
    await send(interaction, content=content, **extra)


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
