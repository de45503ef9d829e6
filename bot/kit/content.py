"""Translations of the bot's data (history, hotlines): which words a reader sees,
and what a translation must keep.

Pure: no discord import. The data files hold each entry's translations next to
its English (`[<entry>.translations.<locale>]`); the loaders check every one
with `translation_problems` and keep them as `Translations` (locale -> key ->
text, a list's items under "field.0", "field.1", ...). A renderer reads each
field through a `ContentReader` made for the reader's `tr.locale`: the text in
the reader's language, or along the fallback chain (es-419 -> es-ES), or else the
English, and then the answer adds its one note (`kit.text.NOT_TRANSLATED`).
Numbers, URLs, placeholders and hashtags are the data's own: a translation
carries exactly the English ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import takewhile
from types import MappingProxyType
from typing import Final

from bot.i18n.translator import fallback_chain

# The languages the data may be translated into (Discord's locale names): the
# shipped languages besides English, which is the data's own language.
CONTENT_LOCALES: Final = ("es-ES", "es-419", "pt-BR", "fr", "de", "it", "pl")

Translations = Mapping[str, Mapping[str, str]]  # locale -> key -> text
NO_TRANSLATIONS: Final[Translations] = MappingProxyType({})


def no_translations() -> Translations:
    """The default of a dataclass field holding `Translations`."""
    return NO_TRANSLATIONS

_DIGITS: Final = re.compile(r"\d+")
_URL: Final = re.compile(r"https?://[^\s<>()\[\]]+")
_PLACEHOLDER: Final = re.compile(r"\{[^{}]*\}")
_HASHTAG: Final = re.compile(r"#\w+")
# Anything Discord could turn into a ping or a link to a person, role or channel.
_MENTION: Final = re.compile(r"@everyone|@here|<@|<#|<:|</")


def item_key(field: str, index: int) -> str:
    """The key of a list field's item in `Translations`: "notes.0"."""
    return f"{field}.{index}"


def _english(locale: str) -> bool:
    return locale.split("-")[0] == "en"


def content_chain(locale: str | None) -> tuple[str, ...]:
    """The languages whose translations a reader of `locale` (the answer's
    `tr.locale`) sees, best first: es-419 -> es-ES; empty for English readers."""
    return tuple(takewhile(lambda c: not _english(c), fallback_chain(locale)))


class ContentReader:
    """The data's words for one answer, in one reader's language. Call it with a
    field's English, the entry's translations and the field's key; `missing`
    tells whether some field was shown in English for want of a translation (the
    answer then shows its one note)."""

    def __init__(self, locale: str | None) -> None:
        self.locale = locale
        self.chain = content_chain(locale)
        self.missing = False

    def fresh(self) -> ContentReader:
        """A reader for the same language that has seen nothing yet (one per page)."""
        return ContentReader(self.locale)

    def __call__(self, english: str, translations: Translations, key: str) -> str:
        for locale in self.chain:
            found = translations.get(locale, {}).get(key)
            if found:
                return found
        if self.chain and english:
            self.missing = True
        return english

    def items(
        self, english: Sequence[str], translations: Translations, field: str
    ) -> tuple[str, ...]:
        """A list field, item by item."""
        return tuple(self(text, translations, item_key(field, i)) for i, text in enumerate(english))


def _runs(pattern: re.Pattern[str], text: str) -> set[str]:
    return set(pattern.findall(text))


def translation_problems(english: str, translated: str, *, limit: int) -> list[str]:
    """Why `translated` may not stand for `english` (empty when it may): numbers,
    URLs, placeholders and hashtags are exactly the English ones (a number is
    never translated: "500,000" may be written "500.000", never "500.001"), no
    mention syntax, and within `limit` characters like the English field."""
    problems = []
    if not translated.strip():
        problems.append("is empty")
    if len(translated) > limit:
        problems.append(f"is {len(translated)} characters (at most {limit})")
    for what, pattern in (("numbers", _DIGITS), ("URLs", _URL),
                          ("placeholders", _PLACEHOLDER), ("hashtags", _HASHTAG)):
        mine, theirs = _runs(pattern, translated), _runs(pattern, english)
        if mine != theirs:
            added = ", ".join(sorted(mine - theirs)) or "none"
            lost = ", ".join(sorted(theirs - mine)) or "none"
            problems.append(f"{what} differ from the English (added: {added}; missing: {lost})")
    if _MENTION.search(translated):
        problems.append("contains mention syntax (@everyone, @here, <@, <#...)")
    return problems


def unknown_locale_problem(locale: object) -> str | None:
    """Why `locale` may not name a translation of the data, or None."""
    if locale in CONTENT_LOCALES:
        return None
    known = ", ".join(CONTENT_LOCALES)
    return f"unknown language {locale!r} (known: {known}; the English is the data itself)"


def coverage(
    entries: Iterable[tuple[Mapping[str, str], Translations]], locale: str
) -> tuple[int, int]:
    """(entries whose every field a reader of `locale` sees translated, entries):
    each entry given as (key -> English, its translations)."""
    chain = content_chain(locale)
    done = total = 0
    for english, translations in entries:
        total += 1
        if all(any(translations.get(c, {}).get(key) for c in chain)
               for key, text in english.items() if text):
            done += 1
    return done, total
