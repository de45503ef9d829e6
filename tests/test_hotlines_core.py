"""The pure hotline core: validation, lookup, country search and resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import hotlines
from bot.core.hotlines import (
    DataError,
    HotlineDirectory,
    UnknownCountryError,
    parse_directory,
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


# --- lookup -------------------------------------------------------------------


def test_lookup_puts_the_emergency_number_first_and_labels_regions() -> None:
    result = hotlines.lookup("GB", "domestic-violence")
    assert result.country_name == "United Kingdom"
    assert [p.number for e in result.emergency for p in e.phones] == ["999", "112"]
    # National lines before regional ones; every regional line carries its label.
    regions = [e.region for e in result.lines]
    assert regions[0] == ""
    assert "Scotland" in regions and "Northern Ireland" in regions
    first_regional = next(i for i, r in enumerate(regions) if r)
    assert all(regions[first_regional:])


def test_lookup_defaults_to_sexual_assault() -> None:
    result = hotlines.lookup("us")
    assert result.topic == "sexual-assault"
    assert [p.number for e in result.lines for p in e.phones] == ["800 656 4673"]


def test_lookup_emergency_topic_shows_only_the_emergency_numbers() -> None:
    result = hotlines.lookup("DE", "emergency")
    assert result.lines == ()
    assert not result.nothing_verified
    assert [p.number for e in result.emergency for p in e.phones] == ["110", "112"]


def test_nothing_verified_is_an_honest_marker_not_an_empty_answer() -> None:
    result = hotlines.lookup("CN", "sexual-assault")
    assert result.nothing_verified
    assert result.no_emergency_verified  # China's emergency numbers: one indirect source
    # Honest, but not a dead end: the topics that do have lines are named.
    assert result.country_has_lines
    assert result.other_topics == ("domestic-violence", "crisis")
    no_data = hotlines.lookup("UY", "crisis")
    assert no_data.country_name == "Uruguay"
    assert no_data.nothing_verified and no_data.no_emergency_verified
    assert not no_data.country_has_lines


def test_lookup_rejects_unknown_countries_and_topics() -> None:
    with pytest.raises(UnknownCountryError):
        hotlines.lookup("XX")
    with pytest.raises(ValueError):
        hotlines.lookup("GB", "rape")


def test_stale_entries_and_check_warnings() -> None:
    directory = _load(_entry(checked="2025-11-27"), _phone("112", short=True))
    assert [e.id for e in directory.stale_entries(TODAY, 12)] == ["xx-line"]
    assert directory.stale_entries(dt.date(2026, 11, 27), 12) == ()
    assert hotlines.check(TODAY) == []
    warnings = hotlines.check(dt.date(2028, 1, 1))
    expected = "hotlines: us-rainn (US) was last checked 2026-11-28"
    assert any(w.startswith(expected) for w in warnings)


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert hotlines._months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert hotlines._months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)


# --- autocomplete ---------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return [s.code for s in hotlines.suggest_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("united kin", "GB"),
        ("uk", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("england", "GB"),
        ("scotland", "GB"),
        ("wales", "GB"),
        ("northern ireland", "GB"),
        ("gb", "GB"),
        ("usa", "US"),
        ("us", "US"),
        ("america", "US"),
        ("germny", "DE"),
        ("germany", "DE"),
        ("de", "DE"),
        ("deutschland", "DE"),
        ("holland", "NL"),
        ("south korea", "KR"),
        ("korea", "KR"),
        ("mexico", "MX"),
        ("méxico", "MX"),
        ("new zeland", "NZ"),
        ("philipines", "PH"),
        ("india", "IN"),
        ("fra", "FR"),
    ],
)
def test_autocomplete_puts_the_expected_country_first(text: str, expected: str) -> None:
    assert _codes(text)[0] == expected


def test_autocomplete_with_empty_text_lists_countries_with_data() -> None:
    suggestions = hotlines.suggest_countries("")
    assert len(suggestions) == 25
    assert all(s.has_data for s in suggestions)
    assert [s.name for s in suggestions] == sorted(s.name for s in suggestions)


def test_autocomplete_prefers_countries_with_data_for_a_bare_prefix() -> None:
    first = hotlines.suggest_countries("a")[:5]
    assert all(s.has_data for s in first)
    assert {"AR", "AT", "AU"} <= {s.code for s in first}


def test_autocomplete_gives_nothing_for_nonsense() -> None:
    assert _codes("zzqx") == []
    assert _codes("!!!") == _codes("")  # punctuation only is empty text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=-5, max_value=100))
def test_suggest_countries_never_raises_and_never_exceeds_25(text: str, limit: int) -> None:
    suggestions = hotlines.suggest_countries(text, limit)
    assert len(suggestions) <= 25
    assert len(suggestions) <= max(limit, 0)
    assert len({s.code for s in suggestions}) == len(suggestions)


# --- resolution ------------------------------------------------------------------


def test_resolve_country_follows_the_spec_order() -> None:
    assert hotlines.resolve_country("germny".replace("ny", "any"), "FR", "US") == "DE"
    assert hotlines.resolve_country(None, "fr", "US") == "FR"
    assert hotlines.resolve_country("", None, "US") == "US"
    assert hotlines.resolve_country("  ", "XX", "nz") == "NZ"  # invalid community code ignored


def test_resolve_country_never_guesses() -> None:
    assert hotlines.resolve_country(None, None, None) is None
    assert hotlines.resolve_country("", "", "") is None


def test_resolve_country_refuses_an_unknown_option_instead_of_falling_back() -> None:
    with pytest.raises(UnknownCountryError) as info:
        hotlines.resolve_country("Atlantis", "GB", "US")
    assert info.value.text == "Atlantis"
    # A typo is not silently taken as a country: autocomplete offers it instead.
    with pytest.raises(UnknownCountryError):
        hotlines.resolve_country("germny", None, None)


@pytest.mark.parametrize(
    ("locale", "first"),
    [
        ("en-US", "US"),
        ("en-GB", "GB"),
        ("de", "DE"),
        ("pt-BR", "BR"),
        ("es-ES", "ES"),
        ("es-419", "MX"),
        ("fr", "FR"),
        ("ja", "JP"),
    ],
)
def test_locale_suggestions_only_suggest(locale: str, first: str) -> None:
    suggestions = hotlines.locale_suggestions(locale)
    assert suggestions[0] == first
    assert set(suggestions) <= set(hotlines.get_directory().by_country)


def test_locale_suggestions_for_unknown_locales_are_empty() -> None:
    assert hotlines.locale_suggestions("xx-YY") == ()
    assert hotlines.locale_suggestions(None) == ()
    assert hotlines.locale_suggestions("") == ()


def test_country_menu_starts_with_locale_suggestions_and_fits_discord() -> None:
    menu = hotlines.country_menu("es-419")
    assert [s.code for s in menu[:5]] == ["MX", "AR", "CO", "CL", "ES"]
    assert len(menu) == 25
    assert len({s.code for s in menu}) == 25
    plain = hotlines.country_menu(None)
    assert [s.name for s in plain] == sorted(s.name for s in plain)
