"""/hotline and /resources: Discord in, core call, embeds and buttons out.

Everything that decides which number a person sees lives in
``bot.core.hotlines``; this module only lays it out within Discord's limits.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import discord
from discord import app_commands

from bot.core import hotlines as core
from bot.features.config import link_markdown
from bot.kit.cards import Limits, pack_lines, truncate
from bot.kit.cog import FeatureCog
from bot.kit.custom_ids import CountryPickId
from bot.kit.embeds import pack_messages
from bot.kit.respond import answers_failures, detached_view, send
from bot.kit.safe_text import neutralise, typed_text
from bot.storage import CommunityResource, StorageError
from bot.text import hotlines as text

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.hotlines")

# Keep a margin under the hard total so that a footer always fits.
EMBED_BUDGET = 5500

FINDAHELPLINE_URL = core.FINDAHELPLINE_URL
CORE_TOPICS = ("sexual-assault", "domestic-violence", "crisis")
STORAGE_TIMEOUT = 1.5  # seconds; the whole answer must start within Discord's 3 s


def md(value: str) -> str:
    """Escape Discord markdown: "*765" must not turn into italics."""
    return discord.utils.escape_markdown(value)


def bold_number(number: str) -> str:
    return f"**{md(number)}**"


def _domain(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host


def phone_text(phone: core.Phone) -> str:
    label = f" ({md(phone.label)})" if phone.label else ""
    return f"{bold_number(phone.number)}{label}"


def text_route(route: core.TextLine) -> str:
    if route.keyword:
        line = text.TEXT_KEYWORD.format(
            keyword=f"**{md(route.keyword)}**", number=bold_number(route.number)
        )
    else:
        line = text.TEXT_NUMBER.format(number=bold_number(route.number))
    if route.channel != "SMS":
        line += text.TEXT_CHANNEL.format(channel=md(route.channel))
    return f"{line} ({md(route.label)})" if route.label else line


def source_text(entry: core.Hotline) -> str:
    checked = f"{text.LABEL_CHECKED}: {entry.checked.isoformat()}"
    shown = core.shown_source(entry)
    if shown.url:
        link = f"[{md(_domain(shown.url))}]({shown.url})"
        if shown.more:
            link += text.SOURCE_MORE.format(count=shown.more)
        return f"{text.LABEL_SOURCE}: {link} \u00b7 {checked}"
    if shown.sites:
        # Pages read without an https address: their sites, as plain text.
        return f"{text.LABEL_SOURCE}: {md(', '.join(shown.sites))} \u00b7 {checked}"
    return checked


def line_parts(entry: core.Hotline) -> tuple[list[str], list[str]]:
    """The text of one line: essentials (always shown) and extras (if room)."""
    essentials: list[str] = [f"*{md(entry.organisation)}*"]
    if entry.region:
        essentials.append(text.REGION_LABEL.format(region=md(entry.region)))
    if entry.phones:
        # A long list of numbers goes on in a new part, never cut in the middle.
        essentials.extend(pack_lines([phone_text(p) for p in entry.phones], Limits.FIELD_VALUE,
                                     separator=" \u00b7 ", prefix=f"{text.LABEL_CALL}: "))
    essentials.extend(text_route(t) for t in entry.texts)
    if entry.chat_url:
        essentials.append(f"{text.LABEL_CHAT}: [{md(_domain(entry.chat_url))}]({entry.chat_url})")
    if entry.website:
        essentials.append(f"{text.LABEL_WEBSITE}: [{md(_domain(entry.website))}]({entry.website})")
    essentials.append(f"{text.LABEL_HOURS}: {md(entry.hours)}")
    essentials.extend(f"\u26a0\ufe0f {text.LABEL_SAFETY}: {md(n)}" for n in entry.safety_notes)
    essentials.append(source_text(entry))
    extras: list[str] = [f"{text.LABEL_COST}: {md(entry.cost)}"]
    extras.append(f"{text.LABEL_LANGUAGES}: {md(', '.join(entry.languages))}")
    extras.extend(md(n) for n in entry.notes)
    return essentials, extras


def line_fields(entry: core.Hotline) -> list[tuple[str, str]]:
    """One embed field for a line (two if its essentials alone are too long).

    Never cuts a number in half: whole parts move to a continuation field."""
    name = truncate(entry.service, Limits.FIELD_NAME - 40)
    if entry.region:
        name = truncate(f"{name} ({entry.region})", Limits.FIELD_NAME - 20)
    essentials, extras = line_parts(entry)
    chunks = pack_lines(essentials, Limits.FIELD_VALUE)
    for part in extras:
        if len(f"{chunks[-1]}\n{part}") <= Limits.FIELD_VALUE:
            chunks[-1] += f"\n{part}"
    fields = [(md(name), chunks[0])]
    fields.extend((md(f"{name} (continued)"), c) for c in chunks[1:])
    return fields


def general_emergency_text() -> str:
    return text.DANGER_GENERAL.format(findahelpline=FINDAHELPLINE_URL)


def emergency_text(result: core.LookupResult | None) -> str:
    """How to get emergency help: the first words of every support answer
    (SPEC section 2). The country's checked number, else the general line."""
    heading = f"**{text.DANGER_HEADING}**"
    if result is None:
        return f"{heading}\n{general_emergency_text()}"
    if not result.emergency:
        missing = text.DANGER_NO_NUMBER.format(country=result.country_text)
        return f"{heading}\n{missing} {general_emergency_text()}"
    numbers: list[str] = []
    routes: list[str] = []
    notes: list[str] = []
    for entry in result.emergency:
        where = f" ({md(entry.region)})" if entry.region else ""
        numbers.extend(phone_text(p) + where for p in entry.phones)
        routes.extend(text_route(t) + where for t in entry.texts)
        notes.extend(md(n) for n in (*entry.safety_notes, *entry.notes))
    call = text.DANGER_CALL.format(numbers=" or ".join(numbers))
    return "\n".join([heading, call, *routes, *notes])


@dataclass
class Page:
    """One message: an embed and its link buttons."""

    embed: discord.Embed
    links: list[tuple[str, str]] = field(default_factory=list)


def _link_label(kind: str, name: str) -> str:
    if kind == "chat":
        return truncate(text.BUTTON_CHAT.format(name=name), Limits.BUTTON_LABEL)
    return truncate(text.BUTTON_WEBSITE.format(name=name), Limits.BUTTON_LABEL)


def _entry_links(entry: core.Hotline) -> list[tuple[str, str]]:
    short = entry.organisation.split(" (")[0]
    links = []
    if entry.chat_url:
        links.append((_link_label("chat", short), entry.chat_url))
    if entry.website:
        links.append((_link_label("website", short), entry.website))
    return links


def _dedupe(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    unique = []
    for label, url in links:
        if url not in seen:
            seen.add(url)
            unique.append((label, url))
    return unique[:Limits.BUTTONS_PER_MESSAGE]


def render_hotline(result: core.LookupResult) -> list[Page]:
    """The /hotline answer as one or more messages, each within Discord's limits."""
    topic = text.TOPIC_LABELS[result.topic]
    title = truncate(text.TITLE_TOPIC.format(topic=topic, country=result.country_text),
                     Limits.EMBED_TITLE)
    parts = [emergency_text(result)]
    if result.topic == "crisis":
        parts.append(text.CRISIS_INTRO if result.lines else text.CRISIS_INTRO_NO_LINES)
    if result.nothing_verified and not result.country_has_lines:
        parts.append(
            text.NOTHING_VERIFIED_COUNTRY.format(
                country=result.country_text, findahelpline=FINDAHELPLINE_URL
            )
        )
    elif result.nothing_verified:
        parts.append(
            text.NOTHING_VERIFIED.format(
                topic=topic.lower(), country=result.country_text, findahelpline=FINDAHELPLINE_URL
            )
        )
        if result.other_topics:
            names = ", ".join(text.TOPIC_LABELS[t] for t in result.other_topics)
            parts.append(text.OTHER_TOPICS.format(country=result.country_text, topics=names))
    parts.append(text.SHOWING_COUNTRY.format(country=result.country_text))
    description = truncate("\n\n".join(parts), Limits.EMBED_DESCRIPTION)
    checked = _oldest_check(result)
    footer = truncate(text.CHECKED_NOTE.format(date=checked), 300) if checked else ""

    first_links: list[tuple[str, str]] = []
    if result.nothing_verified or not result.emergency:
        first_links.append((text.BUTTON_FINDAHELPLINE, FINDAHELPLINE_URL))
    pages = [Page(discord.Embed(title=title, description=description), first_links)]
    for entry in result.lines:
        fields = line_fields(entry)
        page = pages[-1]
        size = sum(len(n) + len(v) for n, v in fields)
        too_many = len(page.embed.fields) + len(fields) > Limits.EMBED_FIELDS
        too_long = len(page.embed) + size + len(footer) > EMBED_BUDGET
        urls = {url for _, url in [*page.links, *_entry_links(entry)]}
        too_many_links = len(urls) > Limits.BUTTONS_PER_MESSAGE
        if too_many or too_long or too_many_links:
            continued = truncate(f"{title} (continued)", Limits.EMBED_TITLE)
            page = Page(discord.Embed(title=continued))
            pages.append(page)
        for name, value in fields:
            page.embed.add_field(name=name, value=value, inline=False)
        page.links.extend(_entry_links(entry))
    for number, page in enumerate(pages, start=1):
        page.links = _dedupe(page.links)
        page_note = text.PAGE_FOOTER.format(page=number, pages=len(pages))
        footer_text = f"{footer} {page_note}".strip() if len(pages) > 1 else footer
        if footer_text:
            page.embed.set_footer(text=footer_text)
    return pages


@functools.lru_cache(maxsize=1024)
def hotline_pages(country: str, topic: str) -> tuple[Page, ...]:
    """The rendered answer for a country and topic. The directory does not change
    while the bot runs, so each answer is rendered once; the pages are only read
    (sent) afterwards, never changed."""
    return tuple(render_hotline(core.lookup(country, topic)))


def _oldest_check(result: core.LookupResult) -> str:
    entries = [*result.emergency, *result.lines]
    return min(e.checked for e in entries).isoformat() if entries else ""


def link_view(links: Sequence[tuple[str, str]]) -> discord.ui.View | None:
    if not links:
        return None
    return detached_view(*(
        discord.ui.Button(style=discord.ButtonStyle.link, label=label, url=url)
        for label, url in links[:Limits.BUTTONS_PER_MESSAGE]
    ))


async def send_pages(
    interaction: discord.Interaction, pages: Sequence[Page], *, ephemeral: bool
) -> None:
    for page in pages:
        view = link_view(page.links)
        kwargs: dict[str, Any] = {"embed": page.embed}
        if view is not None:
            kwargs["view"] = view
        await send(interaction, ephemeral=ephemeral, **kwargs)


# --- choosing a country ----------------------------------------------------


class CountryPick(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=CountryPickId.TEMPLATE,
):
    """The country menu of the no-country answer. Survives a restart: the topic
    and the public flag travel in its custom id."""

    def __init__(
        self, topic: str, public: bool, options: Sequence[discord.SelectOption] = ()
    ) -> None:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=CountryPickId(topic, public).encode(),
            placeholder=text.NO_COUNTRY_MENU_PLACEHOLDER,
            options=list(options) or [discord.SelectOption(label="-", value="-")],
            min_values=1,
            max_values=1,
        )
        super().__init__(select)
        self.topic = topic
        self.public = public

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CountryPick:
        pick = CountryPickId.from_match(match)
        topic = pick.topic if pick.topic in core.TOPICS else core.DEFAULT_TOPIC
        options = getattr(item, "options", ())
        return cls(topic, pick.public, options)

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        values = self.item.values
        choice = values[0] if values else ""
        await answer_for(interaction, choice, None, None, self.topic, self.public)


def country_options(locale: str | None) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(label=truncate(s.name, Limits.SELECT_OPTION_LABEL), value=s.code)
        for s in core.country_menu(locale)
    ]


def country_menu_view(topic: str, public: bool, locale: str | None) -> discord.ui.View:
    findahelpline: discord.ui.Button[Any] = discord.ui.Button(
        style=discord.ButtonStyle.link, label=text.BUTTON_FINDAHELPLINE, url=FINDAHELPLINE_URL
    )
    return detached_view(CountryPick(topic, public, country_options(locale)), findahelpline)


def no_country_answer(
    locale: str | None, topic: str, public: bool
) -> tuple[discord.Embed, discord.ui.View]:
    description = "\n\n".join(
        [emergency_text(None), text.NO_COUNTRY, text.NO_COUNTRY_MENU_MORE]
    )
    embed = discord.Embed(title=text.NO_COUNTRY_TITLE, description=description)
    return embed, country_menu_view(topic, public, locale)


def unknown_country_answer(
    typed: str, locale: str | None, topic: str, public: bool
) -> tuple[discord.Embed, discord.ui.View]:
    """Always sent privately: it repeats what the person typed (cleaned)."""
    shown = typed_text(typed, 60)
    parts = [
        emergency_text(None),
        text.UNKNOWN_COUNTRY.format(text=shown) if shown else text.UNKNOWN_COUNTRY_PLAIN,
    ]
    guesses = core.suggest_countries(typed, 3)
    if guesses:
        names = ", ".join(f"{md(s.name)} ({s.code})" for s in guesses)
        parts.append(text.UNKNOWN_COUNTRY_SUGGESTIONS.format(names=names))
    embed = discord.Embed(title=text.NO_COUNTRY_TITLE, description="\n\n".join(parts))
    return embed, country_menu_view(topic, public, locale)


def _locale(interaction: discord.Interaction) -> str | None:
    locale = getattr(interaction, "locale", None)
    return getattr(locale, "value", None) or (str(locale) if locale else None)


async def answer_for(
    interaction: discord.Interaction,
    option: str | None,
    community_country: str | None,
    default_country: str | None,
    topic: str,
    public: bool,
) -> None:
    """Resolve the country (SPEC section 2) and answer."""
    ephemeral = not public
    locale = _locale(interaction)
    try:
        country = core.resolve_country(option, community_country, default_country)
    except core.UnknownCountryError:
        # Privately, whatever `public` says: typed text is never repeated publicly.
        embed, view = unknown_country_answer(option or "", locale, topic, public)
        await send(interaction, ephemeral=True, embed=embed, view=view)
        return
    if country is None:
        # No guess from the locale: a language is not a location.
        embed, view = no_country_answer(locale, topic, public)
        await send(interaction, ephemeral=ephemeral, embed=embed, view=view)
        return
    await send_pages(interaction, hotline_pages(country, topic), ephemeral=ephemeral)


# --- /resources ------------------------------------------------------------


def resource_embeds(resources: Sequence[CommunityResource]) -> list[discord.Embed]:
    embeds: list[discord.Embed] = []
    for resource in resources:
        if not embeds or len(embeds[-1].fields) >= Limits.EMBED_FIELDS or len(embeds[-1]) > 4500:
            embed = discord.Embed(title=text.COMMUNITY_HEADING, description=text.COMMUNITY_NOTE)
            embeds.append(embed)
        # Admin text: markdown escaped and mentions broken, whatever was stored.
        parts = [neutralise(resource.description)]
        if resource.phone:
            phone = core.written_number(resource.phone)  # rows saved by older versions too
            parts.append(text.RESOURCE_CALL.format(phone=bold_number(phone)))
        # The link as a masked link whose text is its domain; a stored link the
        # rules refuse today is left out rather than shown.
        link = link_markdown(resource.url) if resource.url else None
        if link:
            parts.append(link)
        embeds[-1].add_field(
            name=neutralise(resource.name, Limits.FIELD_NAME),
            value=truncate("\n".join(parts), Limits.FIELD_VALUE),
            inline=False,
        )
    return embeds


def _compact_line(entry: core.Hotline) -> str:
    where = f" ({md(entry.region)})" if entry.region else ""
    ways = []
    if entry.phones:
        ways.append(f"{text.LABEL_CALL} " + " \u00b7 ".join(phone_text(p) for p in entry.phones))
    ways.extend(text_route(t) for t in entry.texts)
    if entry.website:
        ways.append(f"[{md(_domain(entry.website))}]({entry.website})")
    return f"\u2022 **{md(entry.service)}**{where}: " + "; ".join(ways)


def emergency_embed(country: str | None) -> discord.Embed:
    """The first embed of /resources: emergency help before anything else,
    community resources included (SPEC section 2)."""
    if country is None:
        return discord.Embed(title=text.RESOURCES_TITLE, description=emergency_text(None))
    result = core.lookup(country, core.EMERGENCY)
    title = truncate(text.RESOURCES_TITLE_COUNTRY.format(country=result.country_text),
                     Limits.EMBED_TITLE)
    return discord.Embed(title=title, description=emergency_text(result))


def country_lines_embeds(country: str | None) -> list[discord.Embed]:
    if country is None:
        # Below the emergency embed, which carries the title.
        return [discord.Embed(description=text.RESOURCES_NO_COUNTRY)]
    results = [core.lookup(country, topic) for topic in CORE_TOPICS]
    name = results[0].country_text
    seen: set[str] = set()
    lines: list[str] = []
    for result in results:
        for entry in result.lines:
            if entry.id not in seen:
                seen.add(entry.id)
                lines.append(_compact_line(entry))
    if not lines:
        lines.append(
            text.NOTHING_VERIFIED_COUNTRY.format(country=name, findahelpline=FINDAHELPLINE_URL)
        )
    lines.append(text.RESOURCES_MORE)
    chunks = pack_lines(lines, Limits.EMBED_DESCRIPTION)
    title = truncate(text.RESOURCES_LINES_TITLE.format(country=name), Limits.EMBED_TITLE)
    embeds = [discord.Embed(title=title, description=chunks[0])]
    embeds.extend(
        discord.Embed(title=truncate(f"{title} (continued)", Limits.EMBED_TITLE), description=c)
        for c in chunks[1:]
    )
    return embeds


def directories_embed() -> discord.Embed:
    lines = [
        f"\u2022 [{md(d.name)}]({d.website}): {md(d.description)}"
        for d in core.international_directories()
    ]
    return discord.Embed(title=text.DIRECTORIES_HEADING, description="\n".join(lines))


# --- the cog -----------------------------------------------------------------


async def country_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=truncate(f"{s.name} ({s.code})", Limits.CHOICE_NAME),
                            value=s.code)
        for s in core.suggest_countries(current or "")
    ]


class Hotlines(FeatureCog):
    async def cog_load(self) -> None:
        # Validate the data and build the country index once, at start-up:
        # a bad file stops the bot here rather than in someone's crisis.
        # In a worker thread: validating every number takes about a tenth of a
        # second, too long to block the event loop (and the gateway) for.
        await asyncio.to_thread(core.get_country_index)
        self.bot.add_dynamic_items(CountryPick)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CountryPick)

    async def community_country(self, guild_id: int | None) -> str | None:
        if guild_id is None:
            return None
        storage = self.storage
        try:
            settings = await asyncio.wait_for(
                storage.communities.settings(guild_id), STORAGE_TIMEOUT
            )
        except (StorageError, TimeoutError) as exc:
            # Reading fails only when the database is in trouble; the answer
            # must still come (SPEC section 9), without the community's country.
            log.warning("community country unavailable: %s", type(exc).__name__)
            return None
        return settings.country

    @app_commands.command(name="hotline", description=text.HOTLINE_DESCRIPTION)
    @app_commands.describe(
        country=text.HOTLINE_COUNTRY, topic=text.HOTLINE_TOPIC, public=text.PUBLIC_OPTION
    )
    @app_commands.choices(
        topic=[app_commands.Choice(name=name, value=value) for name, value in text.TOPIC_CHOICES]
    )
    @app_commands.autocomplete(country=country_autocomplete)
    async def hotline(
        self,
        interaction: discord.Interaction,
        country: app_commands.Range[str, 1, 100] | None = None,
        topic: app_commands.Choice[str] | None = None,
        public: bool = False,
    ) -> None:
        topic_value = topic.value if topic is not None else core.DEFAULT_TOPIC
        if topic_value not in core.TOPICS:
            topic_value = core.DEFAULT_TOPIC
        settings = self.settings
        community = None if country else await self.community_country(interaction.guild_id)
        await answer_for(
            interaction, country, community, settings.default_country, topic_value, public
        )

    async def send_community_hotlines(self, interaction: discord.Interaction) -> None:
        """The /hotline answer for this community, privately: the panel's
        "Find support" button."""
        settings = self.settings
        community = await self.community_country(interaction.guild_id)
        await answer_for(
            interaction, None, community, settings.default_country, core.DEFAULT_TOPIC, False
        )

    @app_commands.command(name="resources", description=text.RESOURCES_DESCRIPTION)
    @app_commands.describe(public=text.PUBLIC_OPTION)
    async def resources(self, interaction: discord.Interaction, public: bool = False) -> None:
        settings = self.settings
        storage = self.storage
        community_country: str | None = None
        resources: Sequence[CommunityResource] = ()
        unavailable = False
        if interaction.guild_id is not None:
            try:
                community, resources = await asyncio.wait_for(
                    asyncio.gather(
                        storage.communities.settings(interaction.guild_id),
                        storage.communities.resources(interaction.guild_id),
                    ),
                    STORAGE_TIMEOUT,
                )
            except (StorageError, TimeoutError) as exc:
                log.warning("community resources unavailable: %s", type(exc).__name__)
                unavailable = True
            else:
                community_country = community.country
        country = core.resolve_country(None, community_country, settings.default_country)
        # Emergency help first, then this community's own resources, then the
        # country's lines, then the international directories.
        embeds = [emergency_embed(country)]
        if unavailable:
            embeds.append(discord.Embed(description=text.RESOURCES_STORAGE_UNAVAILABLE))
        embeds.extend(resource_embeds(resources))
        embeds.extend(country_lines_embeds(country))
        embeds.append(directories_embed())
        for group in pack_messages(embeds):
            await send(interaction, ephemeral=not public, embeds=group)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Hotlines(bot))
