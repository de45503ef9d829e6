"""The translator: every user-facing string goes through it, with the reader's locale.

Pure: no discord import. The English text is the key (the msgid); a feature's
text.py holds its msgids as constants marked `N_("...")` so that the catalog
tools can find them. Code shows a msgid only through a `Tr`:

    tr = translator.for_locale(interaction.locale)   # FeatureCog.tr(interaction)
    tr(text.TITLE, country=name)                     # str.format with the keywords
    tr.plural(text.EVENTS_ONE, text.EVENTS_OTHER, n) # the form for n; {count} is n

English only for now: there are no catalogs yet, so every msgid is shown as it
is, whatever the locale. Numbers, URLs, organisation names and dates as data
never go through the translator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The language of the msgids, and the last step of every fallback chain.
SOURCE_LOCALE = "en-US"

# Where a locale without its own translation of a text looks next (Discord's
# locale names): Latin American Spanish reads Spain's, British and American
# English stand in for each other; anything else falls back to the source.
_NEXT: Mapping[str, str] = MappingProxyType({
    "es-419": "es-ES",
    "en-GB": "en-US",
    "en-US": "en-GB",
})

Catalog = Mapping[str, str]  # msgid -> translation, for one locale


def N_(msgid: str) -> str:
    """Mark a string as a msgid for extraction; returns it unchanged."""
    return msgid


def fallback_chain(locale: str | None) -> tuple[str, ...]:
    """The locales to try, in order, for a reader whose Discord language is
    `locale` (None or empty: unknown): es-419 -> es-ES -> en-US, en-GB <-> en-US,
    anything else -> en-US. Never repeats a locale; the msgids (English) are shown
    where no locale of the chain has a translation."""
    chain: list[str] = []
    current = (locale or "").strip() or SOURCE_LOCALE
    while current not in chain:
        chain.append(current)
        if current == SOURCE_LOCALE and len(chain) > 1:
            break  # reached through another language: the msgids themselves
        current = _NEXT.get(current, SOURCE_LOCALE)
    return tuple(chain)


def _english_form(n: int) -> int:
    """English plural forms: 0 for one, 1 for everything else."""
    return 0 if n == 1 else 1


@dataclass(frozen=True)
class Tr:
    """The translations for one reader. Call it: `tr(msgid, **kwargs) -> str`."""

    locale: str  # the locale whose texts it shows (cache answers under this)
    chain: tuple[str, ...]
    catalogs: Mapping[str, Catalog] = field(default_factory=dict, repr=False)

    def lookup(self, msgid: str) -> str | None:
        """The translation of `msgid` along the fallback chain, or None when no
        catalog has one (the English msgid is then shown)."""
        for locale in self.chain:
            found = self.catalogs.get(locale, {}).get(msgid)
            if found:
                return found
        return None

    def __call__(self, msgid: str, /, **kwargs: object) -> str:
        """The text of `msgid` for this reader, with `kwargs` filled in by
        str.format. Without keywords the text is returned as it is (so a text
        that shows a literal brace needs none doubled)."""
        text = self.lookup(msgid) or msgid
        return text.format(**kwargs) if kwargs else text

    def plural(self, one: str, other: str, n: int, /, **kwargs: object) -> str:
        """The form of a text that agrees with `n`, filled in with `count=n` and
        `kwargs`: `tr.plural("{count} event", "{count} events", 1) == "1 event"`.
        (English has two forms; a language with more gets them from its catalog.)"""
        form = (one, other)[_english_form(n)]
        return self(form, count=n, **kwargs)


class Translator:
    """Every language's texts, loaded once at start-up. English only for now:
    no catalogs, so every `Tr` shows the msgids."""

    def __init__(self, catalogs: Mapping[str, Catalog] | None = None) -> None:
        self._catalogs: Mapping[str, Catalog] = MappingProxyType(dict(catalogs or {}))
        self._cache: dict[str, Tr] = {}

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales that have a catalog, besides the source language."""
        return tuple(sorted(self._catalogs))

    def for_locale(self, locale: str | None) -> Tr:
        """The `Tr` of a reader whose Discord language is `locale` (Discord's name,
        `str(interaction.locale)`; None: unknown)."""
        key = str(locale or "")
        cached = self._cache.get(key)
        if cached is None:
            chain = fallback_chain(key)
            shown = next((c for c in chain if c in self._catalogs), SOURCE_LOCALE)
            cached = self._cache[key] = Tr(shown, chain, self._catalogs)
        return cached


# For code that has no reader yet (pure modules that phase B will hand a `Tr`):
# the texts as written.
ENGLISH: Tr = Translator().for_locale(SOURCE_LOCALE)
