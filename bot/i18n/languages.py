"""The shipped languages: Discord's locale name, the catalog folder and the
language's own name (shown as is in every language, as language menus do).

Pure: no discord import. A new language is a line here plus its catalog
(docs/DEVELOPING.md, "Adding a language").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from bot.i18n.translator import SOURCE_LOCALE


class Language(NamedTuple):
    folder: str  # bot/i18n/locales/<folder>/LC_MESSAGES/metoo.po (gettext's name)
    name: str  # in the language itself


# Discord locale -> its catalog. es-419 holds only what Latin America says
# differently; every other text comes from es-ES along the fallback chain.
SHIPPED: Mapping[str, Language] = MappingProxyType({
    "es-ES": Language("es", "Español (España)"),
    "es-419": Language("es_419", "Español (Latinoamérica)"),
    "pt-BR": Language("pt_BR", "Português (Brasil)"),
    "fr": Language("fr", "Français"),
    "de": Language("de", "Deutsch"),
    "it": Language("it", "Italiano"),
    "pl": Language("pl", "Polski"),
})
ENGLISH_NAME = "English"

# /config language: `auto` (the server's Discord language) or one of these.
AUTO = "auto"
CHOOSABLE: Mapping[str, str] = MappingProxyType(
    {SOURCE_LOCALE: ENGLISH_NAME, **{locale: lang.name for locale, lang in SHIPPED.items()}})


def language_name(locale: str | None) -> str:
    """The name of a choosable language in itself ("Deutsch"), or the code."""
    if locale is None:
        return AUTO
    return CHOOSABLE.get(locale, locale)
