"""The translator: every user-facing string goes through it, with the reader's locale.

Pure: no discord import. The English text is the key (the msgid); a feature's
text.py holds its msgids as constants marked `N_("...")` (or `S_("...")` for a
sensitive text, `NP_("one", "other")` for a text with plural forms) so that the
catalog tools can find them. Code shows a msgid only through a `Tr`:

    tr = translator.for_locale(interaction.locale)   # FeatureCog.tr(interaction)
    tr(text.TITLE, country=name)                     # str.format with the keywords
    tr.plural(text.EVENTS_ONE, text.EVENTS_OTHER, n) # the form for n; {count} is n

The catalogs (gettext .po files, bot/i18n/locales/) are read once at start-up by
bot.i18n.catalogs into `LocaleCatalog`s. Numbers, URLs, organisation names and
dates as data never go through the translator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def N_(msgid: str) -> str:
    """Mark a string as a msgid for extraction; returns it unchanged."""
    return msgid


def S_(msgid: str) -> str:
    """Mark a sensitive msgid (consent, crisis lead-ins, content notes, privacy and
    deletion texts): its translation is shown only with a valid record in the
    review manifest (bot/i18n/reviews.toml); returns it unchanged."""
    return msgid


def NP_(one: str, other: str) -> tuple[str, str]:
    """Mark the two English forms of a text that agrees with a number (shown with
    `tr.plural(one, other, n)`); a catalog may hold more forms. Returns both."""
    return one, other


class Named(str):
    """A name that each language spells its own way (a country): the English
    text, with the key (an ISO code) by which a catalog names it. Passed to `tr`
    as a keyword, it is shown in the reader's language."""

    key: str

    def __new__(cls, english: str, key: str) -> Named:
        named = super().__new__(cls, english)
        named.key = key
        return named


def english_form(n: int) -> int:
    """English plural forms: 0 for one, 1 for everything else."""
    return 0 if n == 1 else 1


@dataclass(frozen=True)
class LocaleCatalog:
    """One locale's translations: msgid -> text, and for texts with plural forms
    the English "one" msgid -> every form of the language, chosen by `plural_form`
    (n -> index, the catalog's Plural-Forms)."""

    messages: Mapping[str, str] = field(default_factory=dict)
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    plural_form: Callable[[int], int] = english_form
    names: Mapping[str, str] = field(default_factory=dict)  # Named.key -> the language's


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


@dataclass(frozen=True)
class Tr:
    """The translations for one reader. Call it: `tr(msgid, **kwargs) -> str`."""

    locale: str  # the locale whose texts it shows (cache answers under this)
    chain: tuple[str, ...]
    catalogs: Mapping[str, LocaleCatalog] = field(default_factory=dict, repr=False)

    def lookup(self, msgid: str) -> str | None:
        """The translation of `msgid` along the fallback chain, or None when no
        catalog has one (the English msgid is then shown)."""
        for locale in self.chain:
            catalog = self.catalogs.get(locale)
            found = catalog.messages.get(msgid) if catalog is not None else None
            if found:
                return found
        return None

    def name(self, named: Named) -> str:
        """A name (a country) in this reader's language, else in English."""
        for locale in self.chain:
            catalog = self.catalogs.get(locale)
            found = catalog.names.get(named.key) if catalog is not None else None
            if found:
                return found
        return str(named)

    def _filled(self, text: str, kwargs: dict[str, object]) -> str:
        return text.format(**{k: self.name(v) if isinstance(v, Named) else v
                              for k, v in kwargs.items()})

    def __call__(self, msgid: str, /, **kwargs: object) -> str:
        """The text of `msgid` for this reader, with `kwargs` filled in by
        str.format (a `Named` in the reader's language). Without keywords the
        text is returned as it is (so a text that shows a literal brace needs
        none doubled)."""
        text = self.lookup(msgid) or msgid
        return self._filled(text, kwargs) if kwargs else text

    def plural_text(self, one: str, other: str, n: int) -> str:
        """The unformatted form that agrees with `n`: the first catalog of the
        chain that translates the pair, else English."""
        for locale in self.chain:
            catalog = self.catalogs.get(locale)
            forms = catalog.plurals.get(one) if catalog is not None else None
            if forms:
                index = catalog.plural_form(n) if catalog is not None else 0
                if 0 <= index < len(forms) and forms[index]:
                    return forms[index]
        english = (one, other)[english_form(n)]
        return self.lookup(english) or english  # a plain msgid -> text catalog

    def plural(self, one: str, other: str, n: int, /, **kwargs: object) -> str:
        """The form of a text that agrees with `n`, filled in with `count=n` and
        `kwargs`: `tr.plural("{count} event", "{count} events", 1) == "1 event"`.
        (English has two forms; Polish, for one, has three: 1, 2-4, 5+.)"""
        return self._filled(self.plural_text(one, other, n), {"count": n, **kwargs})


def _as_catalog(catalog: LocaleCatalog | Mapping[str, str]) -> LocaleCatalog:
    return catalog if isinstance(catalog, LocaleCatalog) else LocaleCatalog(dict(catalog))


class Translator:
    """Every language's texts, loaded once at start-up (bot.i18n.catalogs.load_translator
    reads the shipped catalogs; `Translator()` alone shows the msgids: English)."""

    def __init__(
        self, catalogs: Mapping[str, LocaleCatalog | Mapping[str, str]] | None = None,
    ) -> None:
        self._catalogs: Mapping[str, LocaleCatalog] = MappingProxyType(
            {locale: _as_catalog(c) for locale, c in (catalogs or {}).items()})
        self._cache: dict[str, Tr] = {}

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales that have a catalog, besides the source language."""
        return tuple(sorted(self._catalogs))

    def catalog(self, locale: str) -> LocaleCatalog | None:
        return self._catalogs.get(locale)

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


# For code that has no reader (tests, tools): the texts as written.
ENGLISH: Tr = Translator().for_locale(SOURCE_LOCALE)
