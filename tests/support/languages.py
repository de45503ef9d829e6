"""Readers in the shipped languages, for the tests of the data's translations."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from bot.i18n.catalogs import load_translator
from bot.i18n.translator import LocaleCatalog, Tr, Translator
from bot.kit.content import CONTENT_LOCALES


def translator(extra: Mapping[str, Mapping[str, str]] | None = None) -> Translator:
    """The shipped translator (a catalog for every shipped language, so that a
    reader's `tr.locale` is their own language); `extra` adds catalogs."""
    shipped = load_translator()
    catalogs: dict[str, LocaleCatalog | Mapping[str, str]] = {
        locale: catalog for locale in shipped.locales
        if (catalog := shipped.catalog(locale)) is not None}
    for locale in CONTENT_LOCALES:
        catalogs.setdefault(locale, {})
    return Translator({**catalogs, **(extra or {})})


def reader(locale: str) -> Tr:
    """The texts of a reader whose language is `locale` (the bot's words in English)."""
    return dataclasses.replace(Translator().for_locale(locale), locale=locale)


def digit_runs(text: str) -> set[str]:
    """The numbers in a text, as runs of digits ("500,000" and "500.000" alike)."""
    return set(re.findall(r"\d+", text))


def urls(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s<>()\[\]]+", text))
