"""/history: overview, timeline (paged), topic and sources.

Thin on purpose: the content, its validation and the page layout live in
bot/core/history.py; this cog turns core Cards into embeds and handles Discord.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import history as core
from bot.kit import text as common_text
from bot.kit.cards import Card
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import PageId, PageKind
from bot.kit.embeds import to_embed
from bot.kit.respond import answers_failures, detached_view, send
from bot.text import history as text

if TYPE_CHECKING:
    from bot.app import MetooBot

Kind = PageKind  # "t": timeline, "s": sources


def fingerprint(history: core.History) -> str:
    """Short digest of the events, so a button from before a data change expires kindly
    instead of showing a page whose contents moved."""
    digest = hashlib.sha256()
    for event in history.events:
        digest.update(f"{event.id}|{event.date}|{event.category}\n".encode())
    digest.update(str(len(history.sources())).encode())
    return digest.hexdigest()[:6]


def pages_for(
    history: core.History, kind: Kind, year: int | None, category: str | None
) -> list[Card]:
    if kind == "s":
        return history.sources_pages()
    return history.timeline_pages(year, category)


# The shipped history never changes while the bot runs, so its pages and its
# fingerprint are computed once, not on every command and button press.
@functools.cache
def shipped_fingerprint() -> str:
    return fingerprint(core.default())


@functools.lru_cache(maxsize=256)
def shipped_pages(kind: Kind, year: int | None, category: str | None) -> tuple[Card, ...]:
    return tuple(pages_for(core.default(), kind, year, category))


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=PageId.TEMPLATE
):
    """Previous or next page of /history timeline or sources. Everything needed to
    redraw a page is in its custom id (bot.kit.custom_ids.PageId), tagged so that
    nobody can forge the owner; an id without a tag (from before tags) is refused
    kindly."""

    def __init__(self, key: bytes, page: PageId, *, disabled: bool = False) -> None:
        # Made here (no tag yet), or pressed: then the tag must be ours.
        self.authentic = page.authentic(key)
        self.page_id = page
        label = text.BUTTON_PREVIOUS if page.step == "p" else text.BUTTON_NEXT
        super().__init__(
            discord.ui.Button(
                label=label,
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
        if not self.authentic:
            # A forged or outdated id: refuse privately and leave the message as it is.
            await send(interaction, content=common_text.BUTTON_INACTIVE)
            return
        if interaction.user.id != page.owner:
            # Someone else's pages: refuse privately and leave the message as it is.
            await send(interaction, content=text.NOT_YOUR_PAGES)
            return
        cards = shipped_pages(page.kind, page.year, page.category)
        if page.data != shipped_fingerprint() or not 0 <= page.page < len(cards):
            expired = text.SOURCES_PAGES_EXPIRED if page.kind == "s" else text.PAGES_EXPIRED
            await send(interaction, content=expired)
            return
        view = pager(bot_of(interaction).tag_key, page.kind, page.owner, page.year,
                     page.category, page.page, len(cards))
        await interaction.response.edit_message(embed=to_embed(cards[page.page]), view=view)


def pager(
    key: bytes,
    kind: Kind,
    owner: int,
    year: int | None,
    category: str | None,
    page: int,
    pages: int,
) -> discord.ui.View:
    data = shipped_fingerprint()

    def button(step: Literal["p", "n"], target: int, disabled: bool) -> PageButton:
        return PageButton(key, PageId(kind, owner, year, category, target, step, data),
                          disabled=disabled)

    return detached_view(
        button("p", max(page - 1, 0), page <= 0),
        button("n", min(page + 1, pages - 1), page >= pages - 1),
    )


_CATEGORY_CHOICES = [
    app_commands.Choice(name=label, value=key) for key, label in core.default().categories
]


class History(
    FeatureCog,
    commands.GroupCog,
    group_name="history",
    group_description="The history of the Me Too movement, with sources.",
):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PageButton)

    @app_commands.command(name="overview", description="What the movement is and how it began.")
    @app_commands.describe(public="Post the answer in the channel (default: only you see it).")
    async def overview(self, interaction: discord.Interaction, public: bool = False) -> None:
        await self.send_overview(interaction, public=public)

    async def send_overview(self, interaction: discord.Interaction, public: bool = False) -> None:
        """The overview; also the panel's "Learn more" button (always private there)."""
        card = core.default().overview_card()
        await send(
            interaction, ephemeral=not public, content=text.CONTENT_NOTE, embed=to_embed(card)
        )

    @app_commands.command(name="timeline", description="Dated events, each with its sources.")
    @app_commands.describe(
        year="Only events from this year, for example 2017.",
        category="Only events of this kind.",
        public="Post the answer in the channel (default: only you see it).",
    )
    @app_commands.choices(category=_CATEGORY_CHOICES)
    async def timeline(
        self,
        interaction: discord.Interaction,
        year: int | None = None,
        category: str | None = None,
        public: bool = False,
    ) -> None:
        history = core.default()
        if category is not None and category not in history.category_labels:
            category = None  # Discord only sends listed choices; anything else means "all"
        cards = shipped_pages("t", year, category)
        if not cards:
            await send(interaction, content=history.no_events_message(year, category))
            return
        kwargs: dict[str, Any] = {"content": text.CONTENT_NOTE, "embed": to_embed(cards[0])}
        if len(cards) > 1:
            kwargs["view"] = pager(self.bot.tag_key,
                                   "t", interaction.user.id, year, category, 0, len(cards))
        await send(interaction, ephemeral=not public, **kwargs)

    @app_commands.command(name="topic", description="One topic or person in depth.")
    @app_commands.describe(
        name="Start typing: a topic, a person, a country or a hashtag.",
        public="Post the answer in the channel (default: only you see it).",
    )
    async def topic(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        public: bool = False,
    ) -> None:
        history = core.default()
        found = history.find_topic(name)
        if found is None:
            examples = ", ".join(t.name for t in history.topics[:5])
            await send(interaction, content=text.TOPIC_NOT_FOUND.format(examples=examples))
            return
        card = history.topic_card(found)
        await send(
            interaction, ephemeral=not public, content=text.CONTENT_NOTE, embed=to_embed(card)
        )

    @topic.autocomplete("name")
    async def topic_name(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=c.name, value=c.value)
            for c in core.default().search_topics(current)
        ]

    @app_commands.command(name="sources", description="The sources this history is drawn from.")
    @app_commands.describe(public="Post the answer in the channel (default: only you see it).")
    async def sources(self, interaction: discord.Interaction, public: bool = False) -> None:
        cards = shipped_pages("s", None, None)
        kwargs: dict[str, Any] = {"embed": to_embed(cards[0])}
        if len(cards) > 1:
            kwargs["view"] = pager(self.bot.tag_key,
                                   "s", interaction.user.id, None, None, 0, len(cards))
        await send(interaction, ephemeral=not public, **kwargs)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(History(bot))
