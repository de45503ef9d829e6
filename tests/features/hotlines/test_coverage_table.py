"""The README's coverage table is generated from the data (issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.features.hotlines import coverage_table as coverage
from bot.features.hotlines.directory import HotlineDirectory
from bot.features.hotlines.loader import get_directory, parse_directory

README = Path(__file__).resolve().parents[3] / "README.md"


def _entry(entry_id: str, country: str, topics: list[str], *, region: str = "",
           phone: str = "", website: str = "") -> str:
    lines = [
        "[[hotline]]",
        f'id = "{entry_id}"',
        f'reference_id = "{entry_id}"',
        f'country = "{country}"',
        f"topics = {topics!r}".replace("'", '"'),
        'organisation = "Test"',
        'service = "Test"',
        'hours = "24/7"',
        'cost = "Free"',
        'languages = ["English"]',
        'citations = ["a test"]',
        "checked = 2026-11-30",
    ]
    if region:
        lines.insert(4, f'region = "{region}"')
    if website:
        lines.insert(4, f'website = "{website}"')
    if phone:
        lines += ["[[hotline.phone]]", f'number = "{phone}"', "short = true"]
    return "\n".join(lines)


def _directory(*entries: str) -> HotlineDirectory:
    return parse_directory("schema = 1\n\n" + "\n\n".join(entries), today=dt.date(2026, 12, 1))


SMALL = _directory(
    # France: complete, sexual assault only through a regional line.
    _entry("fr-e", "FR", ["emergency"], phone="112"),
    _entry("fr-sa", "FR", ["sexual-assault"], region="Paris", phone="112"),
    _entry("fr-dv", "FR", ["domestic-violence", "crisis"], phone="112"),
    # Spain: complete, crisis only through a website.
    _entry("es-e", "ES", ["emergency", "sexual-assault", "domestic-violence"], phone="112"),
    _entry("es-c", "ES", ["crisis"], website="https://example.org"),
    # Germany: an emergency number and a youth line: emergency only.
    _entry("de-e", "DE", ["emergency"], phone="112"),
    _entry("de-y", "DE", ["youth"], phone="116 111"),
    # Italy: an emergency number and a crisis line.
    _entry("it-e", "IT", ["emergency"], phone="112"),
    _entry("it-c", "IT", ["crisis"], phone="112"),
    # Japan: lines, no emergency number.
    _entry("jp-dv", "JP", ["domestic-violence"], phone="110"),
)


def test_the_readme_table_is_generated_from_the_data() -> None:
    section = coverage.readme_section(README.read_text(encoding="utf-8"))
    assert section, "README.md lacks the coverage markers"
    assert section == coverage.markdown(), (
        "README.md's coverage table is out of date: "
        "run python -m bot.features.hotlines.coverage_table --write"
    )
    # The comparison can fail: other data gives another table.
    assert coverage.markdown(SMALL) != section


def test_at_least_46_countries_are_complete_on_the_four_core_needs() -> None:
    result = coverage.summary()
    assert len(result.complete) >= 46
    counted = (
        len(result.complete) + len(result.partial) + len(result.emergency_only)
        + len(result.no_emergency)
    )
    assert counted == len(get_directory().by_country)


def test_countries_are_counted_as_the_issue_counts_them() -> None:
    result = coverage.summary(SMALL)
    assert [c.code for c in result.complete] == ["FR", "ES"]  # by name: France, Spain
    assert [c.code for c in result.partial] == ["IT"]
    assert [c.code for c in result.emergency_only] == ["DE"]
    assert [c.code for c in result.no_emergency] == ["JP"]
    france, spain = result.complete
    assert france.regional == (("sexual-assault", "Paris"),) and france.without_number == ()
    assert spain.regional == () and spain.without_number == ("crisis",)
    table = coverage.markdown(SMALL)
    assert "| All four core needs: sexual assault, domestic violence, crisis, emergency number " \
        "| 2 | France, Spain |" in table
    assert "| An emergency number; some core lines missing | 1 | Italy (no sexual assault or " \
        "domestic violence line) |" in table
    assert "| An emergency number only | 1 | Germany |" in table
    assert "| Lines, but no checked emergency number | 1 | Japan (no sexual assault or crisis " \
        "line) |" in table
    assert "- France: sexual assault (Paris)" in table
    assert "- Spain: crisis (a website, no number)" in table


def test_the_command_prints_and_writes_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert coverage.main([]) == 0
    assert capsys.readouterr().out.strip() == coverage.markdown()
    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n\n{coverage.START}\nold\n{coverage.END}\n\nafter\n", encoding="utf-8")
    monkeypatch.setattr(coverage, "README_PATH", stale)
    assert coverage.main(["--write"]) == 0
    written = stale.read_text(encoding="utf-8")
    assert coverage.readme_section(written) == coverage.markdown()
    assert written.startswith("# x\n") and written.endswith("\nafter\n")
    assert coverage.main(["--write"]) == 0
    assert "already up to date" in capsys.readouterr().out
    assert coverage.main(["--bogus"]) == 2
