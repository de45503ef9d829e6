"""The validator of the history data: every problem found at once, in words an
editor can act on; and the warnings of `python -m bot check`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.features.history import loader
from bot.features.history.loader import DataError
from bot.features.history.search import TopicIndex
from bot.i18n.translator import SOURCE_LOCALE, Translator
from tests.support.program import program_env, run_program
from tests.support.secrets import PROGRAM_SECRET

TR = Translator().for_locale(SOURCE_LOCALE)


# ------------------------------------------------------------------ the validator

VALID = """
[meta]

[categories]
origins = "Origins"
legal = "Law and courts"

[overview]
text = "A short story."
events = ["A1"]
sources = ["https://example.org/overview"]

[[events]]
id = "A1"
date = "2006"
precision = "year"
category = "origins"
title = "Founded"
summary = "Founded."
country = "United States"
people = ["Tarana Burke"]
sources = ["https://example.org/a1"]
confidence = "2+ sources agree"

[[events]]
id = "A2"
date = "2017-10-15"
precision = "day"
category = "legal"
title = "Later"
summary = "Later."
country = "United States"
people = []
sources = ["https://example.org/a2"]
confidence = "2+ sources agree"
as_of = "2025-08"

[[topics]]
id = "t1"
name = "Topic one"
aliases = []
people = ["Tarana Burke"]
text = "About it."
events = ["A1", "A2"]
sources = ["https://example.org/t1"]
"""


def test_minimal_valid_document_parses() -> None:
    parsed = loader.parse(VALID)
    assert [e.id for e in parsed.events] == ["A1", "A2"]
    assert TopicIndex(parsed.topics).search("burke")[0].value == "t1"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('date = "2017-10-15"', 'date = "2017-02-30"', "not a real date"),
        ('date = "2017-10-15"', 'date = "2017-10"', "does not match precision day"),
        ('date = "2006"', 'date = "2006-01-01"', "does not match precision year"),
        ('date = "2017-10-15"', 'date = "15 Oct 2017"', "does not match precision"),
        ('precision = "day"', 'precision = "week"', "precision"),
        ('["https://example.org/a1"]', '["http://example.org/a1"]', "is not https"),
        ('["https://example.org/a1"]', "[]", "at least one https source"),
        ('["https://example.org/t1"]', '["ftp://example.org/t1"]', "is not https"),
        ('category = "legal"', 'category = "gossip"', "unknown category 'gossip'"),
        ('id = "A2"', 'id = "A1"', "duplicate id"),
        ('events = ["A1", "A2"]', 'events = ["A1", "A9"]', "unknown event 'A9'"),
        ('summary = "Later."', 'summary = "Later."\nsumary = "typo"', "unknown key `sumary`"),
        ('date = "2017-10-15"', 'date = "2017-10-15"\nend = "2017-10-01"', "`end` is before"),
        ('date = "2017-10-15"', 'date = "2999-01-01"', "in the future"),
        ('title = "Later"', 'title = ""', "`title` must be a non-empty string"),
        ("[meta]\n", '[meta]\nlegal_as_of = "August 2025"\n', "give each outcome event its own"),
        ('as_of = "2025-08"', 'as_of = "2017-09"', "`as_of` is before the event"),
        ('as_of = "2025-08"', 'as_of = "2025-12"', "`as_of` is in the future"),
        ('as_of = "2025-08"', 'as_of = "August 2025"', "(write YYYY-MM)"),
    ],
)
def test_validator_catches(old: str, new: str, expected: str) -> None:
    assert old in VALID
    broken = VALID.replace(old, new, 1)
    with pytest.raises(DataError) as caught:
        loader.parse(broken, today=date(2025, 11, 1))
    assert expected in str(caught.value), str(caught.value)


def test_validator_reports_every_problem_at_once() -> None:
    broken = VALID.replace('category = "legal"', 'category = "gossip"').replace(
        '["https://example.org/a1"]', '["http://example.org/a1"]'
    )
    with pytest.raises(DataError) as caught:
        loader.parse(broken)
    assert len(caught.value.problems) == 2
    assert any("event A1" in p for p in caught.value.problems)
    assert any("event A2" in p for p in caught.value.problems)


def test_validator_rejects_a_summary_too_long_for_an_embed_field() -> None:
    too_long = "x" * 690
    broken = VALID.replace('summary = "Later."', f'summary = "{too_long}"').replace(
        'sources = ["https://example.org/a2"]',
        f'sources = ["https://example.org/{"a" * 200}", "https://example.org/{"b" * 200}"]',
    )
    with pytest.raises(DataError) as caught:
        loader.parse(broken)
    assert "too long for one timeline entry" in str(caught.value)


def test_every_language_of_the_translator_must_fit_too() -> None:
    """A translation that makes an answer too long for Discord is found when the
    data is loaded, named with its language, not when someone asks."""
    wordy = Translator({"de": {"Sources: {links}": "Quellen: {links} " + "x" * 1000}})
    loader.parse(VALID)  # fits in the source language
    with pytest.raises(DataError, match="in de: event A1: too long for one timeline entry"):
        loader.parse(VALID, translator=wordy)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not valid TOML"):
        loader.parse("[[events]\n")
    with pytest.raises(DataError, match="cannot read"):
        loader.load(tmp_path / "missing.toml")


def test_check_warns_when_an_outcome_is_stated_as_of_more_than_12_months_ago() -> None:
    """An "as of" per outcome, and a warning from `python -m bot check` once it is
    more than 12 months old: for the operator, not among the editorial notes."""
    parsed = loader.parse(VALID, today=date(2025, 11, 1))
    assert loader.outdated_outcomes(parsed, date(2026, 8, 15), TR) == []
    assert loader.outdated_outcomes(parsed, date(2026, 9, 1), TR) == [
        "history: event A2: its outcome is stated as of August 2025, more than 12 months "
        "ago: re-check it (a later development needs 2 sources)"
    ]
    assert not any("as of" in note for note in loader.warnings(parsed))
    shipped = loader.recheck(date(2026, 11, 30))
    assert any(w.startswith("history: event E29: its outcome is stated as of September 2020")
               for w in shipped)
    assert any(w.startswith("history: event E69: its outcome is stated as of August 2025")
               for w in shipped)
    assert not any(w.startswith("history: event E70:") for w in shipped)  # a law
    assert not any("as of" in note for note in loader.check(date(2026, 11, 30)))


def test_python_m_bot_check_validates_the_history_data(tmp_path: Path) -> None:
    """`python -m bot check` reads the shipped file through this loader; its notes
    for the content's maintainers only with --content."""
    env = program_env(DISCORD_TOKEN="tok", ACK_SECRET=PROGRAM_SECRET)
    result = run_program(["check", "--content"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "data history: ok" in lines
    notes = loader.check(today=date.today())
    assert notes and all(f"content: {note}" in lines for note in notes)
