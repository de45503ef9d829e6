"""The hotline loader: the validator of the data file, and `check`."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.features.hotlines.directory import HotlineDirectory
from bot.features.hotlines.loader import (
    DataError,
    check,
    due_for_recheck,
    parse_directory,
    recheck,
)

TODAY = dt.date(2026, 11, 30)  # the corrections of 2026-11-30


def _entry(**overrides: str) -> str:
    """One small valid entry as TOML; overrides replace whole lines by key."""
    fields = {
        "id": '"xx-line"',
        "reference_id": '"xx-line"',
        "country": '"GB"',
        "topics": '["sexual-assault"]',
        "organisation": '"Example organisation"',
        "service": '"Example line"',
        "website": '"https://example.org"',
        "hours": '"24/7"',
        "cost": '"Free"',
        "languages": '["English"]',
        "sources": '["https://example.org/source"]',
        "checked": "2026-11-01",
    }
    fields.update(overrides)
    body = "\n".join(f"{k} = {v}" for k, v in fields.items() if v is not None)
    return f"[[hotline]]\n{body}\n"


def _phone(number: str, *, short: bool = False, extra: str = "") -> str:
    flag = "short = true\n" if short else ""
    return f'[[hotline.phone]]\nnumber = "{number}"\n{flag}{extra}'


def _toml(*parts: str) -> str:
    return "schema = 1\n\n" + "\n".join(parts)


def _load(*parts: str) -> HotlineDirectory:
    return parse_directory(_toml(*parts), today=TODAY)


def _error(*parts: str) -> DataError:
    with pytest.raises(DataError) as info:
        _load(*parts)
    return info.value


# --- the validator ---------------------------------------------------------


def test_a_small_valid_file_loads() -> None:
    directory = _load(_entry(), _phone("0808 802 1414"), _phone("116 123", short=True))
    (entry,) = directory.hotlines
    assert [p.number for p in entry.phones] == ["0808 802 1414", "116 123"]
    assert entry.checked == dt.date(2026, 11, 1)


def test_validator_catches_a_bad_phone_number() -> None:
    # One digit short: a plausible-looking but invalid UK freephone number.
    error = _error(_entry(), _phone("0808 802 141"))
    assert error.entry == "xx-line"
    assert error.field == "phone[0]"
    assert "0808 802 141" in str(error)


def test_validator_catches_a_number_valid_only_in_another_country() -> None:
    # Sweden's Kvinnofridslinjen number, filed under GB by mistake.
    error = _error(_entry(), _phone("020-50 50 50"))
    assert error.field == "phone[0]"
    error = _error(_entry(country='"FR"'), _phone("0808 802 1414"))
    assert error.field == "phone[0]"


def test_validator_catches_an_unknown_short_code() -> None:
    error = _error(_entry(), _phone("9876", short=True))
    assert error.field == "phone[0]"
    assert "short number" in error.problem


def test_a_new_short_code_needs_an_explicit_marker_with_a_source() -> None:
    # DE 116 016 is real (since June 2023) but unknown to libphonenumber 9.0.43.
    de = _entry(country='"DE"')
    assert _error(de, _phone("116 016", short=True)).field == "phone[0]"
    marker_without_source = _error(
        de, _phone("116 016", short=True, extra="short_code_unknown_to_libphonenumber = true\n")
    )
    assert marker_without_source.field == "marker_source"
    directory = _load(
        de,
        _phone(
            "116 016",
            short=True,
            extra='short_code_unknown_to_libphonenumber = true\nmarker_source = "https://bmfsfj.de/x"\n',
        ),
    )
    assert directory.hotlines[0].phones[0].unknown_to_libphonenumber


def test_a_marker_is_only_for_short_codes() -> None:
    error = _error(
        _entry(),
        _phone(
            "0808 802 1414",
            extra='short_code_unknown_to_libphonenumber = true\nmarker_source = "x"\n',
        ),
    )
    assert error.field == "phone[0]"


def test_validator_catches_an_http_url() -> None:
    error = _error(_entry(website='"http://example.org"'), _phone("0808 802 1414"))
    assert (error.entry, error.field) == ("xx-line", "website")
    error = _error(_entry(sources='["http://example.org/source"]'), _phone("0808 802 1414"))
    assert error.field == "sources"
    error = _error(_entry(chat_url='"javascript:alert(1)"'), _phone("0808 802 1414"))
    assert error.field == "chat_url"


@pytest.mark.parametrize("code", ['"XX"', '"UK"', '"gb"', '"GBR"', '""'])
def test_validator_catches_a_bad_iso_code(code: str) -> None:
    error = _error(_entry(country=code), _phone("112", short=True))
    assert error.field == "country"


def test_validator_catches_a_duplicate_id() -> None:
    error = _error(_entry(), _phone("0808 802 1414"), _entry(), _phone("0808 802 1414"))
    assert (error.entry, error.field) == ("xx-line", "id")
    assert "duplicate" in error.problem


def test_validator_catches_a_future_date() -> None:
    error = _error(_entry(checked="2026-12-01"), _phone("0808 802 1414"))
    assert (error.entry, error.field) == ("xx-line", "checked")
    assert "future" in error.problem


def test_validator_catches_an_unknown_topic_and_a_misspelt_field() -> None:
    assert _error(_entry(topics='["rape"]'), _phone("112", short=True)).field == "topics"
    assert _error(_entry(webiste='"https://x.org"'), _phone("112", short=True)).field == "webiste"


def test_validator_requires_a_source_and_a_way_to_reach_the_service() -> None:
    assert _error(_entry(sources="[]"), _phone("112", short=True)).field == "sources"
    assert _error(_entry(website=None)).field == "phone"


def test_validator_rejects_a_date_time_and_bad_toml() -> None:
    assert _error(_entry(checked="2026-11-01T10:00:00"), _phone("112", short=True)).field == (
        "checked"
    )
    with pytest.raises(DataError):
        parse_directory("schema = 1\n[[hotline]\n", today=TODAY)
    with pytest.raises(DataError):
        parse_directory("schema = 2\n", today=TODAY)


# --- entries due for a re-check -----------------------------------------------------


def test_entries_checked_more_than_6_months_ago_are_due_for_a_recheck() -> None:
    directory = _load(_entry(checked="2026-05-29"), _phone("112", short=True),
                      _entry(id='"xx-other"', checked="2026-06-01"),
                      _entry(id='"de-line"', country='"DE"', checked="2026-11-01"))
    assert [e.id for e in directory.stale_entries(TODAY, 6)] == ["xx-line"]
    assert due_for_recheck(directory, TODAY) == [
        "hotlines: United Kingdom (GB): not checked for more than 6 months (oldest check "
        "2026-05-29): re-check xx-line against their sources"
    ]
    assert due_for_recheck(directory, dt.date(2026, 11, 29)) == []  # exactly 6 months: not yet
    later = due_for_recheck(directory, dt.date(2027, 6, 1))
    assert later == [
        "hotlines: Germany (DE): not checked for more than 6 months (oldest check "
        "2026-11-01): re-check de-line against their sources",
        "hotlines: United Kingdom (GB): not checked for more than 6 months (oldest check "
        "2026-05-29): re-check xx-line, xx-other against their sources",
    ]


def test_the_shipped_file_is_due_six_months_after_its_checks() -> None:
    assert recheck(TODAY) == [] and check(TODAY) == []
    due = recheck(dt.date(2027, 6, 1))  # 28 and 30 November 2026: more than 6 months back
    assert any(line.startswith("hotlines: United States (US): ") and "us-rainn" in line
               for line in due)
    assert any(line.startswith("hotlines: international directories: ") for line in due)
    assert recheck(dt.date(2027, 5, 28)) == []
