"""The /resources answer as Cards. Pure: no discord import.

In order: emergency help (always first), this community's own resources, the
country's support lines in brief, the international directories. The hotline
parts come from the hotlines feature's public functions; the caller passes them in.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.config import link_markdown
from bot.features.hotlines import written_number
from bot.features.resources import text
from bot.i18n.translator import Tr
from bot.kit import text as common
from bot.kit.cards import Card, Field, Limits, pack_lines, truncate
from bot.kit.safe_text import escape_data, neutralise
from bot.storage import CommunityResource

# A card of community resources takes no more fields once it holds this much.
COMMUNITY_CARD_FULL = 4500


def emergency_card(tr: Tr, country_text: str | None, emergency: str) -> Card:
    """The first card: emergency help (`emergency`, from the hotlines feature)
    under a title that names the country (`country_text`, None when unknown)."""
    if country_text is None:
        return Card(tr(text.RESOURCES_TITLE), emergency)
    title = truncate(tr(text.RESOURCES_TITLE_COUNTRY, country=country_text), Limits.EMBED_TITLE)
    return Card(title, emergency)


def unavailable_card(tr: Tr) -> Card:
    """Said where the community's own resources would be, when they cannot be read."""
    return Card("", tr(text.RESOURCES_STORAGE_UNAVAILABLE))


def resource_field(tr: Tr, resource: CommunityResource) -> Field:
    """One resource an admin added: its name and description as typed (markdown
    escaped and mentions broken, whatever was stored), its number written the
    bot's one way (rows saved by older versions too), and its link as a masked
    link whose text is its domain; a stored link the rules refuse today is left
    out, not shown."""
    parts = [neutralise(resource.description)]
    if resource.phone:
        phone = written_number(resource.phone)
        parts.append(tr(text.RESOURCE_CALL, phone=f"**{escape_data(phone)}**"))
    link = link_markdown(resource.url) if resource.url else None
    if link:
        parts.append(link)
    return Field(neutralise(resource.name, Limits.FIELD_NAME),
                 truncate("\n".join(parts), Limits.FIELD_VALUE))


def community_cards(tr: Tr, fields: Sequence[Field]) -> list[Card]:
    """The community's resources, as many cards as they need."""
    cards: list[list[Field]] = []
    for item in fields:
        if not cards or len(cards[-1]) >= Limits.EMBED_FIELDS \
                or _card(tr, cards[-1]).size() > COMMUNITY_CARD_FULL:
            cards.append([])
        cards[-1].append(item)
    return [_card(tr, group) for group in cards]


def _card(tr: Tr, fields: Sequence[Field]) -> Card:
    return Card(tr(text.COMMUNITY_HEADING), tr(text.COMMUNITY_NOTE), tuple(fields))


def country_cards(tr: Tr, country_text: str | None, lines: Sequence[str]) -> list[Card]:
    """The country's support lines in brief (`lines`, from the hotlines feature),
    or how to set a country when the community has none (`country_text` None)."""
    if country_text is None:
        # Below the emergency card, which carries the title.
        return [Card("", tr(text.RESOURCES_NO_COUNTRY))]
    chunks = pack_lines([*lines, tr(text.RESOURCES_MORE)], Limits.EMBED_DESCRIPTION)
    title = truncate(tr(text.RESOURCES_LINES_TITLE, country=country_text), Limits.EMBED_TITLE)
    continued = truncate(tr(common.CONTINUED, title=title), Limits.EMBED_TITLE)
    return [Card(title, chunks[0]), *(Card(continued, c) for c in chunks[1:])]


def directories_card(tr: Tr, lines: Sequence[str]) -> Card:
    return Card(tr(text.DIRECTORIES_HEADING), "\n".join(lines))
