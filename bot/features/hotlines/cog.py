"""/hotline and the country menu: Discord in, a lookup, Cards out as embeds and buttons.

Everything that decides which number a person sees lives in `directory`; the
answer's layout in `render`. This module resolves the country (the option, the
community's, the operator's default: never a guess from the language) and sends.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.features.hotlines import text
from bot.features.hotlines.directory import FINDAHELPLINE_URL
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.render import (
    Page,
    no_country_card,
    render_hotline,
    unknown_country_card,
)
from bot.features.hotlines.topics import (
    ANY,
    CONTACT_LABELS,
    CONTACTS,
    DEFAULT_TOPIC,
    TOPIC_LABELS,
    TOPICS,
    known_contact,
    known_topic,
)
from bot.i18n.translator import Tr
from bot.kit import text as common
from bot.kit.cards import Card, Limits, truncate
from bot.kit.checks import bot_in_server, everywhere
from bot.kit.cog import READ_TIMEOUT, FeatureCog, bot_of
from bot.kit.countries import UnknownCountryError
from bot.kit.custom_ids import CountryPickId
from bot.kit.embeds import to_embed
from bot.kit.respond import (
    answers_failures,
    detached_view,
    explain_private,
    fixed_answer,
    public_here,
    public_reader,
    reader,
    send,
    send_fixed,
)
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.hotlines")

# Rendered answers, by (locale, country, topic, contact): the directory does not
# change while the bot runs, so each is rendered once; pages are only read afterwards.
_PAGES: dict[tuple[str, str, str, str], tuple[Page, ...]] = {}
_PAGES_KEPT = 1024  # then forgotten all at once


def hotline_pages(tr: Tr, country: str, topic: str, contact: str = ANY) -> tuple[Page, ...]:
    key = (tr.locale, country, topic, contact)
    pages = _PAGES.get(key)
    if pages is None:
        if len(_PAGES) >= _PAGES_KEPT:
            _PAGES.clear()
        result = get_directory().lookup(country, topic, contact)
        pages = _PAGES[key] = tuple(render_hotline(tr, result))
    return pages


async def send_pages(
    interaction: discord.Interaction, pages: Sequence[Page], *, ephemeral: bool
) -> None:
    # Each page is serialised once (send_fixed): a hotline answer never changes.
    for page in pages:
        await send_fixed(interaction, fixed_answer(page.card, links=page.links,
                                                   ephemeral=ephemeral))


# --- choosing a country ----------------------------------------------------


class CountryPick(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=CountryPickId.TEMPLATE,
):
    """The country menu of the no-country answer. Survives a restart: the topic,
    the public flag and the way of contact travel in its custom id."""

    def __init__(
        self, topic: str, public: bool, options: Sequence[discord.SelectOption] = (),
        placeholder: str | None = None, contact: str = ANY,
    ) -> None:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=CountryPickId(topic, public, contact).encode(),
            placeholder=placeholder,
            options=list(options) or [discord.SelectOption(label="-", value="-")],
            min_values=1,
            max_values=1,
        )
        super().__init__(select)
        self.topic = topic
        self.public = public
        self.contact = contact

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CountryPick:
        pick = CountryPickId.from_match(match)
        options = getattr(item, "options", ())
        return cls(known_topic(pick.topic), pick.public, options,
                   contact=known_contact(pick.contact))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        values = self.item.values
        choice = values[0] if values else ""
        await answer_for(interaction, choice, None, None, self.topic, self.public, self.contact)


def country_menu_view(
    tr: Tr, topic: str, public: bool, locale: str | None, contact: str = ANY
) -> discord.ui.View:
    options = [
        discord.SelectOption(label=truncate(s.name, Limits.SELECT_OPTION_LABEL), value=s.code)
        for s in get_directory().country_menu(locale)
    ]
    findahelpline: discord.ui.Button[Any] = discord.ui.Button(
        style=discord.ButtonStyle.link, label=tr(text.BUTTON_FINDAHELPLINE), url=FINDAHELPLINE_URL
    )
    pick = CountryPick(topic, public, options, tr(text.NO_COUNTRY_MENU_PLACEHOLDER), contact)
    return detached_view(pick, findahelpline)


async def answer_for(
    interaction: discord.Interaction,
    option: str | None,
    community_country: str | None,
    default_country: str | None,
    topic: str,
    public: bool,
    contact: str = ANY,
) -> None:
    """Resolve the country (the option, else the community's, else the operator's
    default; never a guess) and answer: emergency guidance first, always."""
    locale = str(interaction.locale)  # which countries the menu offers first
    directory = get_directory()
    try:
        country = directory.resolve_country(option, community_country, default_country)
    except UnknownCountryError:
        # Privately, whatever `public` says: typed text is never repeated publicly.
        tr = reader(interaction)
        card = unknown_country_card(tr, option or "", directory.suggest_countries(option or "", 3))
        view = country_menu_view(tr, topic, public, locale, contact)
        await send_card(interaction, card, view, True)
        return
    tr = await public_reader(interaction, public=public)
    if country is None:
        # No guess from the locale: a language is not a location.
        view = country_menu_view(tr, topic, public, locale, contact)
        await send_card(interaction, no_country_card(tr), view, not public)
        return
    pages = hotline_pages(tr, country, topic, contact)
    await send_pages(interaction, pages, ephemeral=not public)


async def send_card(
    interaction: discord.Interaction, card: Card, view: discord.ui.View, ephemeral: bool
) -> None:
    await send(interaction, ephemeral=ephemeral, embed=to_embed(card), view=view)


async def community_country(interaction: discord.Interaction) -> str | None:
    """The country this community set with /config country, or None (outside a
    server that has added the bot, or when the database cannot be read in time:
    the answer must still come, without the community's country)."""
    if interaction.guild_id is None or not bot_in_server(interaction):
        return None
    try:
        settings = await asyncio.wait_for(
            bot_of(interaction).storage.communities.settings(interaction.guild_id), READ_TIMEOUT
        )
    except (StorageError, TimeoutError) as exc:
        log.warning("community country unavailable: %s", type(exc).__name__)
        return None
    return settings.country


async def send_community_hotlines(interaction: discord.Interaction) -> None:
    """The /hotline answer for this community, privately: the panel's "Find support"."""
    community = await community_country(interaction)
    default = bot_of(interaction).settings.default_country
    await answer_for(interaction, None, community, default, DEFAULT_TOPIC, False)


# --- the cog -----------------------------------------------------------------


async def country_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=truncate(f"{s.name} ({s.code})", Limits.CHOICE_NAME),
                            value=s.code)
        for s in get_directory().suggest_countries(current or "")
    ]


class Hotlines(FeatureCog):
    async def cog_load(self) -> None:
        # Validate the data and build the country index once, at start-up:
        # a bad file stops the bot here rather than in someone's crisis.
        # In a worker thread: validating every number takes about a tenth of a
        # second, too long to block the event loop (and the gateway) for.
        await asyncio.to_thread(lambda: get_directory().country_index)
        self.bot.add_dynamic_items(CountryPick)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CountryPick)

    @everywhere
    @app_commands.command(name="hotline",
                          description=app_commands.locale_str(text.HOTLINE_DESCRIPTION))
    @app_commands.describe(
        country=app_commands.locale_str(text.HOTLINE_COUNTRY),
        topic=app_commands.locale_str(text.HOTLINE_TOPIC),
        contact=app_commands.locale_str(text.HOTLINE_CONTACT),
        public=app_commands.locale_str(common.PUBLIC_OPTION),
    )
    @app_commands.choices(
        topic=[app_commands.Choice(name=app_commands.locale_str(TOPIC_LABELS[t]), value=t)
               for t in TOPICS],
        contact=[app_commands.Choice(name=app_commands.locale_str(CONTACT_LABELS[c]), value=c)
                 for c in CONTACTS],
    )
    @app_commands.autocomplete(country=country_autocomplete)
    async def hotline(
        self,
        interaction: discord.Interaction,
        country: app_commands.Range[str, 1, 100] | None = None,
        topic: app_commands.Choice[str] | None = None,
        contact: app_commands.Choice[str] | None = None,
        public: bool = False,
    ) -> None:
        topic_value = known_topic(topic.value if topic is not None else None)
        contact_value = known_contact(contact.value if contact is not None else None)
        community = None if country else await community_country(interaction)
        await answer_for(interaction, country, community, self.settings.default_country,
                         topic_value, public_here(interaction, public), contact_value)
        await explain_private(interaction, public)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Hotlines(bot))
