"""The shipped catalogs: in step with the code, complete, faithful to the English
where it matters (placeholders, digits, links, commands), with correct plurals."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import catalogs
from bot.i18n.catalogs import LOCALES, TEMPLATE, load, po_path, read_template
from bot.i18n.extract import SENSITIVE_NOTE
from bot.i18n.languages import SHIPPED
from bot.i18n.translator import SOURCE_LOCALE, Translator

ROOT = Path(__file__).resolve().parents[2]

# Msgids a language may leave to the next language of its chain (es-419 reads
# es-ES): none may fall back to English. Anything listed here is shown in English.
ALLOWED_TO_FALL_BACK: dict[str, frozenset[str]] = {locale: frozenset() for locale in SHIPPED}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def messages(catalog: Catalog) -> dict[object, object]:
    return {m.id: m for m in catalog if m.id}


def test_the_template_holds_exactly_the_msgids_of_the_code(tmp_path: Path) -> None:
    """pybabel extract, run as docs/DEVELOPING.md says, gives the committed
    template: no msgid of the code is missing from it, none is left over, and
    the sensitive marks are the same."""
    fresh = tmp_path / "metoo.pot"
    subprocess.run(
        [sys.executable, "-c", "from babel.messages.frontend import main; main()",
         "-q", "extract", "-F", "bot/i18n/babel.cfg", "--no-wrap", "--sort-by-file",
         "-o", str(fresh), "."],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    extracted, committed = messages(read(fresh)), messages(read(TEMPLATE))
    assert set(extracted) == set(committed), "run the extract and update commands"
    for msgid, message in extracted.items():
        wanted = SENSITIVE_NOTE in message.auto_comments  # type: ignore[attr-defined]
        assert (SENSITIVE_NOTE in committed[msgid].auto_comments) == wanted, msgid  # type: ignore[attr-defined]


@pytest.mark.parametrize("locale", list(SHIPPED))
def test_each_catalog_has_the_template_msgids_and_the_languages_plural_forms(locale: str) -> None:
    folder = SHIPPED[locale].folder
    catalog = read(po_path(locale), folder)
    assert set(messages(catalog)) == set(messages(read(TEMPLATE))), "run pybabel update"
    assert catalog.num_plurals == get_plural(folder).num_plurals
    assert catalog.plural_expr == get_plural(folder).plural_expr
    assert not [m.id for m in catalog if m.id and m.fuzzy], "a fuzzy entry is never shown"


def test_every_shipped_language_translates_every_string() -> None:
    """Catalog parity: each language shows a translation of every msgid along its
    chain (es-419: its own, else es-ES's), except what it lists as falling back."""
    template = read_template()
    loaded = load("checked")
    for locale in SHIPPED:
        tr = loaded.translator.for_locale(locale)
        missing = {m for m in template.texts if tr.lookup(m) is None}
        chain = [c for c in tr.chain if loaded.translator.catalog(c) is not None]
        missing |= {one for one in template.plurals
                    if not any(one in loaded.translator.catalog(c).plurals  # type: ignore[union-attr]
                               for c in chain)}
        assert missing <= ALLOWED_TO_FALL_BACK[locale], (locale, sorted(missing)[:5])
    assert {c.locale: c.translated for c in loaded.coverage} == {
        locale: template.size for locale in SHIPPED}


PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
DIGITS = re.compile(r"\d+")
URL = re.compile(r"https?://\S+|\b[a-z0-9-]+\.(?:com|org)\b")
CODE = re.compile(r"`[^`]+`")
MENTION = re.compile(r"@everyone|@here|<[@#]")
INVISIBLE = re.compile("[\u200b-\u200f\u2066-\u2069\ufeff]")


def translations() -> list[tuple[str, str, str]]:
    """(locale, English, translation) for every translated text and plural form."""
    found = []
    for locale, language in SHIPPED.items():
        catalog = read(po_path(locale), language.folder)
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                # A form for 1 alone is held to the English "one" form; a form for
                # several counts (French and Portuguese use the first for 0 and 1)
                # to the "other" form, which shows the count.
                rule = catalogs.plural_rule(catalog)
                for index, form in enumerate(message.string):
                    alone = {n for n in range(1000) if rule(n) == index} == {1}
                    if form:
                        found.append((locale, message.id[0 if alone else 1], form))
            elif message.string:
                found.append((locale, message.id, message.string))
    return found


@pytest.mark.parametrize("locale, english, translated", translations(),
                         ids=lambda v: v[:24] if isinstance(v, str) else str(v))
def test_placeholders_digits_links_and_commands_stay_as_in_english(
    locale: str, english: str, translated: str,
) -> None:
    """Numbers, links and placeholders come from the data and the code, never
    from a translator: the same in every language. So do the commands in
    backticks (their names are English in every language), the leading and
    trailing line breaks the code joins texts with, and the absence of pings."""
    assert Counter(PLACEHOLDER.findall(translated)) == Counter(PLACEHOLDER.findall(english))
    assert sorted(DIGITS.findall(translated)) == sorted(DIGITS.findall(english))
    assert sorted(URL.findall(translated)) == sorted(URL.findall(english))
    assert sorted(CODE.findall(translated)) == sorted(CODE.findall(english))
    assert translated.count("**") == english.count("**")
    assert translated[: len(translated) - len(translated.lstrip())] == \
        english[: len(english) - len(english.lstrip())]
    assert (translated != translated.rstrip()) == (english != english.rstrip())
    assert MENTION.findall(translated) == MENTION.findall(english)  # quoted, never a ping
    assert not INVISIBLE.search(translated)
    assert translated.count("\n") == english.count("\n")


@pytest.mark.parametrize("locale", [SOURCE_LOCALE, *SHIPPED])
def test_every_plural_text_has_a_form_for_every_count(locale: str) -> None:
    """For n in 0..200, in every language, each counted text has a non-empty form
    that shows n (or, for the English "one more" form, stands for it)."""
    translator = catalogs.load_translator()
    tr = translator.for_locale(locale)
    for one, other in read_template().plurals.items():
        for n in range(201):
            text = tr.plural(one, other, n)
            assert text.strip() and "{" not in text
            if "{count}" in other and n != 1:
                assert str(n) in text, (locale, one, n)


def test_polish_has_three_forms_1_2_to_4_and_5_and_more() -> None:
    tr = catalogs.load_translator().for_locale("pl")
    events = ("{count} event", "{count} events")
    assert [tr.plural(*events, n) for n in (1, 2, 4, 5, 12, 14, 21, 22, 25, 102, 112)] == [
        "1 wydarzenie", "2 wydarzenia", "4 wydarzenia", "5 wydarzeń", "12 wydarzeń",
        "14 wydarzeń", "21 wydarzeń", "22 wydarzenia", "25 wydarzeń", "102 wydarzenia",
        "112 wydarzeń"]


def test_french_and_portuguese_say_zero_in_the_singular() -> None:
    translator = catalogs.load_translator()
    sources = ("{count} source", "{count} sources")
    assert translator.for_locale("fr").plural(*sources, 0) == "0 source"
    assert translator.for_locale("pt-BR").plural(*sources, 0) == "0 fonte"
    assert translator.for_locale("de").plural(*sources, 0) == "0 Quellen"


def test_the_fallback_chain_with_the_shipped_catalogs() -> None:
    """es-419 reads its own few texts, then Spain's; a language without a catalog
    (Japanese) and an unknown locale read English; British English reads English."""
    translator = catalogs.load_translator()
    cost = "Cost"
    assert translator.for_locale("es-419")(cost) == "Costo"
    assert translator.for_locale("es-ES")(cost) == "Coste"
    assert translator.for_locale("es-419")("Country") == translator.for_locale("es-ES")("Country")
    for english in ("ja", "en-GB", "en-US", "xx-YY", None):
        assert translator.for_locale(english)(cost) == cost
        assert translator.for_locale(english).locale == SOURCE_LOCALE
    assert Translator().for_locale("de")(cost) == cost


def test_the_catalogs_are_read_from_the_package_folder() -> None:
    assert LOCALES == ROOT / "bot" / "i18n" / "locales"
    for locale in SHIPPED:
        assert po_path(locale).is_file()
