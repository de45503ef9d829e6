"""/hotline: checked support lines by country and topic, emergency guidance first.

The package: `loader` reads and validates `data/hotlines.toml` (`python -m bot
check` runs its `check`), `directory` holds the entries and decides which lines
a person sees (and the country search every command shares), `topics` the topic
vocabulary, `render` the answers as Cards, `cog` the Discord side, and
`coverage_table` the README's table (`python -m
bot.features.hotlines.coverage_table --write`).

Other features use only what `__all__` lists:

- /help, /resources: `emergency_text(tr, country)`, the words every support
  answer starts with;
- the panel's "Find support": `send_community_hotlines(interaction)`;
- /resources: `resolve_country`, `country_lines`, `directory_lines`,
  `written_number`;
- /config: `find_country`, `suggest_countries`,
  `coverage` (a `Coverage`), `TOPIC_LABELS` (msgids), `written_number`.

Importing this package never imports discord (config's pure rules use the
country search): the Discord side loads when the panel first calls it.
"""

from __future__ import annotations

import importlib
from typing import Any

from bot.features.hotlines.directory import Coverage, written_number
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.render import country_lines as _country_lines
from bot.features.hotlines.render import directory_lines as _directory_lines
from bot.features.hotlines.render import emergency_guidance
from bot.features.hotlines.topics import EMERGENCY, TOPIC_LABELS
from bot.i18n.translator import Tr
from bot.kit.countries import MAX_CHOICES, CountrySuggestion, country_in_text

__all__ = [
    "TOPIC_LABELS",
    "Coverage",
    "country_lines",
    "coverage",
    "directory_lines",
    "emergency_text",
    "find_country",
    "resolve_country",
    "send_community_hotlines",
    "suggest_countries",
    "written_number",
]


def emergency_text(tr: Tr, country: str | None = None) -> str:
    """How to get emergency help in `country` (an ISO code): its checked number,
    or the general guidance when it has none or no country is known (None)."""
    result = get_directory().lookup(country, EMERGENCY) if country else None
    return emergency_guidance(tr, result)


async def send_community_hotlines(interaction: Any) -> None:
    """Answer `interaction` (a discord.Interaction) privately with the support
    lines of its community's country, or the country menu: the panel's "Find
    support"."""
    cog = importlib.import_module("bot.features.hotlines.cog")
    await cog.send_community_hotlines(interaction)


def resolve_country(
    option: str | None, community_country: str | None, default_country: str | None
) -> str | None:
    """The country of an answer: `option` (what a person typed), else the
    community's, else the operator's default, else None: never a guess. Raises
    bot.kit.countries.UnknownCountryError for an option that names no country."""
    return get_directory().resolve_country(option, community_country, default_country)


def find_country(text: str) -> str | None:
    """The country a person named exactly (ISO code, English name, alias or
    flag), else None: what /hotline's country option accepts."""
    return get_directory().find_country(text)


def suggest_countries(text: str, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
    """Autocomplete for a country, best first, countries with lines preferred."""
    return get_directory().suggest_countries(text, limit)


def coverage(country: str) -> Coverage:
    """Which topics `country` has checked lines for, and whether it has a
    checked emergency number: what members there will get."""
    return get_directory().coverage(country)


def country_lines(tr: Tr, country: str) -> list[str]:
    """The country's lines for the core needs (sexual assault, domestic violence,
    crisis), one short bullet each, or a sentence saying there are none yet."""
    return _country_lines(tr, country_in_text(country), get_directory().core_lines(country))


def directory_lines(tr: Tr) -> list[str]:
    """The international directories of support lines, one bullet each, in
    `tr`'s language."""
    return _directory_lines(tr, get_directory().directories)
