"""Translations of the data: which words a reader sees, and what a translation
must keep (bot.kit.content)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.kit.content import (
    CONTENT_LOCALES,
    ContentReader,
    content_chain,
    coverage,
    translation_problems,
    unknown_locale_problem,
)

TRANSLATIONS = {
    "es-ES": {"title": "Marcha de supervivientes", "summary": "Resumen."},
    "es-419": {"title": "Marcha de sobrevivientes"},
    "de": {"title": "Marsch"},
}


@pytest.mark.parametrize(("locale", "chain"), [
    ("es-419", ("es-419", "es-ES")),
    ("es-ES", ("es-ES",)),
    ("de", ("de",)),
    ("nl", ("nl",)),  # a language the data has no words in: English, with the note
    ("en-US", ()),
    ("en-GB", ()),
    (None, ()),
    ("", ()),
])
def test_the_chain_of_a_reader(locale: str | None, chain: tuple[str, ...]) -> None:
    assert content_chain(locale) == chain


def test_a_reader_sees_its_language_then_the_fallback_then_english_with_a_note() -> None:
    latin_american = ContentReader("es-419")
    assert latin_american("Survivors' march", TRANSLATIONS, "title") == "Marcha de sobrevivientes"
    # No es-419 summary: Spain's, which es-419 falls back to, with no note.
    assert latin_american("Summary.", TRANSLATIONS, "summary") == "Resumen."
    assert not latin_american.missing
    german = ContentReader("de")
    assert german("Summary.", TRANSLATIONS, "summary") == "Summary."
    assert german.missing and not german.fresh().missing
    english = ContentReader("en-GB")
    assert english("Summary.", TRANSLATIONS, "summary") == "Summary."
    assert not english.missing  # English is the data's own language: never a note
    assert ContentReader("de").items(("a", "b"), {"de": {"notes.1": "B"}}, "notes") == ("a", "B")


def test_coverage_counts_entries_whose_every_field_a_reader_sees_translated() -> None:
    entries = [({"title": "T", "summary": "S"}, TRANSLATIONS), ({"title": "T"}, {})]
    assert coverage(entries, "es-ES") == (1, 2)
    assert coverage(entries, "es-419") == (1, 2)  # es-419 reads Spain's summary
    assert coverage(entries, "de") == (0, 2)


ENGLISH = "On 15 October 2017, 500,000 #MeToo tweets; see https://example.org/a {count}."


@pytest.mark.parametrize("translated", [
    "El 15 de octubre de 2017, 500.000 tuits con #MeToo; véase https://example.org/a {count}.",
    "Le 15 octobre 2017, 500\u00a0000 tweets #MeToo ; voir https://example.org/a {count}.",
])
def test_a_faithful_translation_passes(translated: str) -> None:
    assert translation_problems(ENGLISH, translated, limit=200) == []


@pytest.mark.parametrize(("translated", "problem"), [
    ("El 16 de octubre de 2017, 500.000 #MeToo; https://example.org/a {count}.", "numbers"),
    ("El 15 de octubre, 500.000 #MeToo; https://example.org/a {count}.", "numbers"),
    ("El 15 de octubre de 2017, 500.001 #MeToo; https://example.org/a {count}.", "numbers"),
    ("El 15 de octubre de 2017, 500.000 #MeToo; https://example.org/b {count}.", "URLs"),
    ("El 15 de octubre de 2017, 500.000 #MeToo; https://example.org/a {n}.", "placeholders"),
    ("El 15 de octubre de 2017, 500.000 #YoTambién; https://example.org/a {count}.", "hashtags"),
    ("@everyone 15 octubre 2017, 500.000 #MeToo; https://example.org/a {count}.", "mention"),
    ("El 15 de octubre de 2017, 500.000 #MeToo; https://example.org/a {count}." + "x" * 200,
     "characters"),
    ("   ", "empty"),
])
def test_a_translation_that_changes_the_data_is_refused(translated: str, problem: str) -> None:
    problems = translation_problems(ENGLISH, translated, limit=200)
    assert any(problem in p for p in problems), problems


@given(st.text(alphabet="abc 0123456789.,", max_size=40))
def test_no_translation_with_other_numbers_passes(translated: str) -> None:
    english = "Call 116 123 or 112, 24/7."
    runs = set(re.findall(r"\d+", translated))
    problems = translation_problems(english, translated, limit=100)
    if runs != {"116", "123", "112", "24", "7"}:
        assert any("numbers" in p for p in problems)


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "es", "pt-PT", "xx", 7])
def test_only_the_shipped_languages_are_known(locale: object) -> None:
    assert unknown_locale_problem(locale) is not None


def test_the_shipped_languages_are_known() -> None:
    assert all(unknown_locale_problem(locale) is None for locale in CONTENT_LOCALES)
    assert set(CONTENT_LOCALES) == {"es-ES", "es-419", "pt-BR", "fr", "de", "it", "pl"}
