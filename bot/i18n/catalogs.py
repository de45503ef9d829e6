"""Reading the shipped catalogs into a Translator, once at start-up.

Pure: no discord import. The template (locales/metoo.pot, extracted from the
code with pybabel) says which msgids exist and which are sensitive; each
language's .po (locales/<folder>/LC_MESSAGES/metoo.po) is read with Babel's
read_po. A translation is shown when it is not fuzzy, not empty, its msgid is in
the template, and, for a sensitive text, the review manifest has a valid record
for it (reviews.py): a changed English text or a changed translation voids the
record, and the reader sees the English until it is checked again.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import babel.localedata
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.extract import SENSITIVE_NOTE
from bot.i18n.languages import SHIPPED
from bot.i18n.reviews import MANIFEST, Reviews, load_reviews
from bot.i18n.translator import LocaleCatalog, Translator, fallback_chain

LOCALES = Path(__file__).with_name("locales")
DOMAIN = "metoo"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"


class CatalogError(Exception):
    """A catalog cannot be read (the message names the file)."""


def po_path(locale: str, directory: Path = LOCALES) -> Path:
    return directory / SHIPPED[locale].folder / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, locale: str | None = None) -> Catalog:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale)
    except (OSError, ValueError, SyntaxError) as exc:
        raise CatalogError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None


@dataclass(frozen=True)
class Template:
    """The msgids of the code: texts, plural pairs (by their "one" msgid) and
    which of them are sensitive."""

    texts: frozenset[str]
    plurals: Mapping[str, str]  # one -> other
    sensitive: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.texts) + len(self.plurals)


def _key(msgid: object) -> str:
    """A message's msgid; for one with plural forms, its English "one" form."""
    return str(msgid[0] if isinstance(msgid, tuple | list) else msgid)


def read_template(path: Path = TEMPLATE) -> Template:
    texts: set[str] = set()
    plurals: dict[str, str] = {}
    sensitive: set[str] = set()
    for message in _read(path):
        if not message.id:
            continue
        key = _key(message.id)
        if isinstance(message.id, tuple | list):
            plurals[key] = str(message.id[1])
        else:
            texts.add(key)
        if SENSITIVE_NOTE in message.auto_comments:
            sensitive.add(key)
    return Template(frozenset(texts), plurals, frozenset(sensitive))


def plural_rule(catalog: Catalog) -> Callable[[int], int]:
    """n -> the index of the form, from the catalog's Plural-Forms header (a C
    expression, gettext's own evaluator)."""
    return gettext.c2py(catalog.plural_expr)


@dataclass(frozen=True)
class LocaleCoverage:
    """What one language shows, along its fallback chain (for `python -m bot check`)."""

    locale: str
    translated: int  # msgids with a translation shown (plural pairs count once)
    total: int
    sensitive_shown: int  # sensitive texts shown in translation (TRANSLATIONS decides)
    sensitive_checked: int  # sensitive texts with a valid record (back-translation at least)
    sensitive_reviewed: int  # of those, reviewed by a person
    sensitive_total: int
    # Sensitive msgids translated but without a valid record (never checked, or
    # the English or the translation changed since): shown in English.
    voided: tuple[str, ...]

    def line(self) -> str:
        voided = (f", {len(self.voided)} translated but unchecked or voided (English shown)"
                  if self.voided else "")
        return (f"{self.locale}: {self.translated}/{self.total} strings shown translated; "
                f"sensitive texts: {self.sensitive_checked}/{self.sensitive_total} checked, "
                f"{self.sensitive_reviewed}/{self.sensitive_total} reviewed by a person, "
                f"{self.sensitive_shown}/{self.sensitive_total} shown translated{voided}")


@dataclass(frozen=True)
class Loaded:
    translator: Translator
    coverage: tuple[LocaleCoverage, ...]


def _load_locale(
    locale: str, template: Template, reviews: Reviews, mode: str, directory: Path,
) -> tuple[LocaleCatalog, set[str], set[str], set[str]]:
    """One language's shown translations, and which sensitive texts it has in
    translation (checked, reviewed by a person) and whose record is void."""
    catalog = _read(po_path(locale, directory), locale=SHIPPED[locale].folder)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    checked: set[str] = set()
    reviewed: set[str] = set()
    voided: set[str] = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = _key(message.id)
        if isinstance(message.id, tuple):
            forms = tuple(message.string) if isinstance(message.string, tuple | list) else ()
            if template.plurals.get(key) != message.id[1] or not forms or not all(forms):
                continue
        elif key not in template.texts or not message.string:
            continue
        if key in template.sensitive:
            shown = message.string if isinstance(message.string, str) else "\n".join(forms)
            record = reviews.record(locale, key, shown)
            if record is None:
                voided.add(key)  # never checked, or its English or translation changed
                continue
            checked.add(key)
            if record.person_reviewed:
                reviewed.add(key)
            elif mode == "reviewed":
                continue
        if isinstance(message.id, tuple):
            plurals[key] = forms
        else:
            assert isinstance(message.string, str)
            messages[key] = message.string
    names = territory_names(SHIPPED[locale].folder)
    return (LocaleCatalog(messages, plurals, plural_rule(catalog), names),
            checked, reviewed, voided)


def territory_names(folder: str) -> dict[str, str]:
    """Every country's name in a language (CLDR, through Babel), by ISO code."""
    territories = Locale.parse(folder).territories
    return {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()}


def load(mode: str = "checked", directory: Path = LOCALES,
         manifest: Path = MANIFEST) -> Loaded:
    """Every shipped catalog, as a Translator, with each language's coverage.
    `mode` is the TRANSLATIONS setting: "checked" or "reviewed"."""
    template = read_template(directory / f"{DOMAIN}.pot")
    reviews = load_reviews(manifest)
    catalogs: dict[str, LocaleCatalog] = {}
    found: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for locale in SHIPPED:
        catalogs[locale], *sets = _load_locale(locale, template, reviews, mode, directory)
        # Babel keeps the whole CLDR data of every locale it read (about a MiB
        # each) in a module cache; what the bot needs was copied out (plural
        # rule, country names), so it goes after each language: the bot's
        # memory then grows by one language's data at most. It is only a
        # cache: Babel reads a locale again if anything asks for it later.
        babel.localedata._cache.clear()
        found[locale] = (sets[0], sets[1], sets[2])
    translator = Translator(catalogs)
    coverage = []
    for locale in SHIPPED:
        chain = [c for c in fallback_chain(locale) if c in catalogs]
        shown_texts = set().union(*(catalogs[c].messages for c in chain))
        shown_plurals = set().union(*(catalogs[c].plurals for c in chain))
        checked = set().union(*(found[c][0] for c in chain))
        reviewed = set().union(*(found[c][1] for c in chain))
        voided = set().union(*(found[c][2] for c in chain)) - checked
        shown_sensitive = (shown_texts | shown_plurals) & template.sensitive
        coverage.append(LocaleCoverage(
            locale, len(shown_texts & template.texts) + len(shown_plurals & set(template.plurals)),
            template.size, len(shown_sensitive), len(checked), len(reviewed),
            len(template.sensitive), tuple(sorted(voided))))
    return Loaded(translator, tuple(coverage))


@functools.cache
def _shipped(mode: str) -> Loaded:
    return load(mode)


def load_translator(mode: str = "checked") -> Translator:
    """The shipped catalogs, read once per process (the bot, each test's bot and
    the console share them)."""
    return _shipped(mode).translator


def coverage(mode: str = "checked") -> tuple[LocaleCoverage, ...]:
    return _shipped(mode).coverage
