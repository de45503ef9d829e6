"""/history: overview, timeline (paged), topic and sources.

Thin on purpose: the content and its validation live in loader and model, topic
search in search, the layout in render; this module answers Discord.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

import bot.features.history.text as text
from bot.features.history import loader, render
from bot.features.history.search import TopicIndex
from bot.i18n.translator import Tr
from bot.kit import text as common_text
from bot.kit.cards import Card
from bot.kit.checks import everywhere
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.content import ContentReader
from bot.kit.custom_ids import PageId, PageKind
from bot.kit.embeds import to_embed
from bot.kit.respond import (
    answers_failures,
    components_json,
    detached_view,
    explain_private,
    fixed_answer,
    public_here,
    public_reader,
    reader,
    send,
    send_fixed,
)

if TYPE_CHECKING:
    from bot.app import MetooBot


# The shipped history never changes while the bot runs, so its topic index, its
# fingerprint and its pages are computed once, not on every command and press.
@functools.cache
def topic_index(locale: str) -> TopicIndex:
    """The topics by every name they are known by, named in `locale` (a `tr.locale`)."""
    topics = loader.default().topics
    read = ContentReader(locale)
    return TopicIndex(topics, {t.id: render.topic_name(read, t) for t in topics})


@functools.cache
def shipped_fingerprint() -> str:
    return loader.default().fingerprint()


# Pages by (language, kind, year, category). Only filters that match events are
# kept, so the years a person may type cannot grow it.
_pages: dict[tuple[str, PageKind, int | None, str | None], tuple[Card, ...]] = {}


def shipped_pages(
    tr: Tr, kind: PageKind, year: int | None, category: str | None
) -> tuple[Card, ...]:
    """The pages of the timeline ("t", for a year and a category) or of the
    sources ("s"), in `tr`'s language."""
    key = (tr.locale, kind, year, category)
    cards = _pages.get(key)
    if cards is None:
        history = loader.default()
        cards = tuple(render.sources_pages(tr, history) if kind == "s"
                      else render.timeline_pages(tr, history, year, category))
        if cards:
            _pages[key] = cards
    return cards


async def answer_overview(interaction: discord.Interaction, *, public: bool = False) -> None:
    """The overview, after the content note: /history overview, and the panel's
    "Learn more" button (through the package's public `send_overview`)."""
    tr = await public_reader(interaction, public=public)
    card = render.overview_card(tr, loader.default())
    await send(interaction, ephemeral=not public, content=tr(text.CONTENT_NOTE),
               embed=to_embed(card))


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=PageId.TEMPLATE
):
    """Previous or next page of /history timeline or sources. Everything needed to
    redraw a page is in its custom id (bot.kit.custom_ids.PageId), tagged so that
    nobody can forge the owner; an id without a tag (from before tags) is refused
    kindly."""

    def __init__(self, key: bytes, page: PageId, *, label: str = "",
                 disabled: bool = False) -> None:
        # Made here (no tag yet), or pressed: then the tag must be ours.
        self.authentic = page.authentic(key)
        self.page_id = page
        super().__init__(
            discord.ui.Button(
                label=label or None,
                custom_id=page.encode(key),
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        return cls(bot_of(interaction).tag_key, PageId.from_match(match))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        page = self.page_id
        refuse = reader(interaction)  # refusals are private: the presser's language
        if not self.authentic:
            # A forged or outdated id: refuse privately and leave the message as it is.
            await send(interaction, content=refuse(common_text.BUTTON_INACTIVE))
            return
        if interaction.user.id != page.owner:
            # Someone else's pages: refuse privately and leave the message as it is.
            await send(interaction, content=refuse(text.NOT_YOUR_PAGES))
            return
        # The page is redrawn in the language it was posted in.
        message = interaction.message
        public = message is not None and not message.flags.ephemeral
        tr = await public_reader(interaction, public=public)
        cards = shipped_pages(tr, page.kind, page.year, page.category)
        if page.data != shipped_fingerprint() or not 0 <= page.page < len(cards):
            expired = text.SOURCES_PAGES_EXPIRED if page.kind == "s" else text.PAGES_EXPIRED
            await send(interaction, content=refuse(expired))
            return
        view = pager(tr, bot_of(interaction).tag_key, page.kind, page.owner, page.year,
                     page.category, page.page, len(cards))
        await interaction.response.edit_message(embed=to_embed(cards[page.page]), view=view)


def pager(
    tr: Tr,
    key: bytes,
    kind: PageKind,
    owner: int,
    year: int | None,
    category: str | None,
    page: int,
    pages: int,
) -> discord.ui.View:
    data = shipped_fingerprint()

    def button(step: Literal["p", "n"], target: int, disabled: bool) -> PageButton:
        label = tr(text.BUTTON_PREVIOUS if step == "p" else text.BUTTON_NEXT)
        return PageButton(key, PageId(kind, owner, year, category, target, step, data),
                          label=label, disabled=disabled)

    return detached_view(
        button("p", max(page - 1, 0), page <= 0),
        button("n", min(page + 1, pages - 1), page >= pages - 1),
    )


# A pager differs per answer only by the custom ids naming its owner: its
# components are serialised once per page of each language, for a stand-in
# owner whose ids are then replaced by the asker's.
_STAND_IN_KEY = b"\0" * 32
_STAND_IN_OWNER = 0


_Step = tuple[Literal["p", "n"], int]  # the step of a button, and the page it shows
_pager_templates: dict[tuple[str, PageKind, int | None, str | None, int, int],
                       tuple[bytes, tuple[tuple[_Step, bytes], ...]]] = {}


def _pager_template(tr: Tr, kind: PageKind, year: int | None, category: str | None,
                    page: int, pages: int) -> tuple[bytes, tuple[tuple[_Step, bytes], ...]]:
    """The stand-in's pager serialised, and each button's serialised stand-in id."""
    key = (tr.locale, kind, year, category, page, pages)  # a few hundred at most
    found = _pager_templates.get(key)
    if found is None:
        steps: tuple[_Step, ...] = (("p", max(page - 1, 0)), ("n", min(page + 1, pages - 1)))
        data = shipped_fingerprint()
        found = _pager_templates[key] = (
            components_json(pager(tr, _STAND_IN_KEY, kind, _STAND_IN_OWNER, year, category,
                                  page, pages)),
            tuple((step, b'"%b"' % PageId(kind, _STAND_IN_OWNER, year, category, step[1],
                                          step[0], data).encode(_STAND_IN_KEY).encode())
                  for step in steps))
    return found


def pager_components(tr: Tr, key: bytes, kind: PageKind, owner: int, year: int | None,
                     category: str | None, page: int, pages: int) -> bytes:
    """`pager(...)` serialised, as components_json would give it."""
    data = shipped_fingerprint()
    components, stand_ins = _pager_template(tr, kind, year, category, page, pages)
    for (step, target), stand_in in stand_ins:
        own = PageId(kind, owner, year, category, target, step, data).encode(key)
        components = components.replace(stand_in, b'"%b"' % own.encode(), 1)
    return components


# Category labels are content (data/history.toml), like event titles, not msgids.
_CATEGORY_CHOICES = [
    app_commands.Choice(name=label, value=key) for key, label in loader.default().categories
]


@everywhere
class History(
    FeatureCog,
    commands.GroupCog,
    group_name="history",
    group_description=locale_str(text.GROUP_DESCRIPTION),
):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PageButton)

    @app_commands.command(name="overview", description=locale_str(text.OVERVIEW_DESCRIPTION))
    @app_commands.describe(public=locale_str(text.PUBLIC_OPTION))
    async def overview(self, interaction: discord.Interaction, public: bool = False) -> None:
        await answer_overview(interaction, public=public_here(interaction, public))
        await explain_private(interaction, public)

    @app_commands.command(name="timeline", description=locale_str(text.TIMELINE_DESCRIPTION))
    @app_commands.describe(
        year=locale_str(text.YEAR_OPTION),
        category=locale_str(text.CATEGORY_OPTION),
        public=locale_str(text.PUBLIC_OPTION),
    )
    @app_commands.choices(category=_CATEGORY_CHOICES)
    async def timeline(
        self,
        interaction: discord.Interaction,
        year: int | None = None,
        category: str | None = None,
        public: bool = False,
    ) -> None:
        history = loader.default()
        if category is not None and category not in history.category_labels:
            category = None  # Discord only sends listed choices; anything else means "all"
        shown = public_here(interaction, public)
        tr = await self.public_tr(interaction, public=shown)
        cards = shipped_pages(tr, "t", year, category)
        if not cards:
            # Nothing to show: said privately, whatever `public` asked.
            tr = self.tr(interaction)
            await send(interaction, content=render.no_events_message(tr, history, year, category))
            return
        answer = fixed_answer(cards[0], content=tr(text.CONTENT_NOTE), ephemeral=not shown)
        if len(cards) > 1:  # the pager names its owner: its ids are made for each answer
            owner, key = interaction.user.id, self.bot.tag_key
            await send_fixed(
                interaction, answer,
                lambda: pager(tr, key, "t", owner, year, category, 0, len(cards)),
                pager_components(tr, key, "t", owner, year, category, 0, len(cards)))
        else:
            await send_fixed(interaction, answer)
        await explain_private(interaction, public)

    @app_commands.command(name="topic", description=locale_str(text.TOPIC_DESCRIPTION))
    @app_commands.describe(
        name=locale_str(text.NAME_OPTION),
        public=locale_str(text.PUBLIC_OPTION),
    )
    async def topic(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        public: bool = False,
    ) -> None:
        history = loader.default()
        mine = self.tr(interaction)  # the name is typed (or picked) in the person's language
        found = topic_index(mine.locale).find(name)
        if found is None:
            await send(interaction, content=render.topic_not_found(mine, history))
            return
        shown = public_here(interaction, public)
        tr = await self.public_tr(interaction, public=shown)
        card = render.topic_card(tr, history, found)
        await send(interaction, ephemeral=not shown, content=tr(text.CONTENT_NOTE),
                   embed=to_embed(card))
        await explain_private(interaction, public)

    @topic.autocomplete("name")
    async def topic_name(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c.name, value=c.value)
                for c in topic_index(self.tr(interaction).locale).search(current)]

    @app_commands.command(name="sources", description=locale_str(text.SOURCES_DESCRIPTION))
    @app_commands.describe(public=locale_str(text.PUBLIC_OPTION))
    async def sources(self, interaction: discord.Interaction, public: bool = False) -> None:
        shown = public_here(interaction, public)
        tr = await self.public_tr(interaction, public=shown)
        cards = shipped_pages(tr, "s", None, None)
        kwargs: dict[str, Any] = {"embed": to_embed(cards[0])}
        if len(cards) > 1:
            kwargs["view"] = pager(tr, self.bot.tag_key,
                                   "s", interaction.user.id, None, None, 0, len(cards))
        await send(interaction, ephemeral=not shown, **kwargs)
        await explain_private(interaction, public)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(History(bot))
