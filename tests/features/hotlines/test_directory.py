"""The hotline directory: lookup, country search and resolution, over the shipped data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.hotlines import directory
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.topics import CONTACTS, TOPICS
from bot.kit.countries import UnknownCountryError

SHIPPED = get_directory()


# --- lookup -------------------------------------------------------------------


def test_lookup_puts_the_emergency_number_first_and_labels_regions() -> None:
    result = SHIPPED.lookup("GB", "domestic-violence")
    assert result.country_name == "United Kingdom"
    assert [p.number for e in result.emergency for p in e.phones] == ["999", "112"]
    # National lines before regional ones; every regional line carries its label.
    regions = [e.region for e in result.lines]
    assert regions[0] == ""
    assert "Scotland" in regions and "Northern Ireland" in regions
    first_regional = next(i for i, r in enumerate(regions) if r)
    assert all(regions[first_regional:])


def test_lookup_defaults_to_sexual_assault() -> None:
    result = SHIPPED.lookup("us")
    assert result.topic == "sexual-assault"
    assert [p.number for e in result.lines for p in e.phones] == ["800 656 4673"]


def test_lookup_emergency_topic_shows_only_the_emergency_numbers() -> None:
    result = SHIPPED.lookup("DE", "emergency")
    assert result.lines == ()
    assert not result.nothing_verified
    assert [p.number for e in result.emergency for p in e.phones] == ["110", "112"]


def test_nothing_verified_is_an_honest_marker_not_an_empty_answer() -> None:
    result = SHIPPED.lookup("CN", "sexual-assault")
    assert result.nothing_verified
    assert result.no_emergency_verified  # China's emergency numbers: one indirect source
    # Honest, but not a dead end: the topics that do have lines are named.
    assert result.country_has_lines
    assert result.other_topics == ("domestic-violence", "crisis")
    no_data = SHIPPED.lookup("UY", "crisis")
    assert no_data.country_name == "Uruguay"
    assert no_data.nothing_verified and no_data.no_emergency_verified
    assert not no_data.country_has_lines


def test_lookup_rejects_unknown_countries_and_topics() -> None:
    with pytest.raises(UnknownCountryError):
        SHIPPED.lookup("XX")
    with pytest.raises(ValueError):
        SHIPPED.lookup("GB", "rape")


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert directory._months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert directory._months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)


# --- the way of contact (the contact option) ------------------------------------


def _line(index: int, topics: tuple[str, ...], phone: bool, text: bool, chat: bool,
          regional: bool) -> directory.Hotline:
    """A made-up line of a made-up country: only its ways of contact matter here."""
    return directory.Hotline(
        id=f"line-{index}", reference_id=f"line-{index}", country="GB", topics=topics,
        organisation="Organisation", service=f"Line {index}", hours="24/7", cost="Free",
        languages=("English",), checked=dt.date(2026, 11, 28),
        region="Scotland" if regional else "",
        phones=(directory.Phone("0808 802 1414"),) if phone else (),
        texts=(directory.TextLine("85258", keyword="SHOUT"),) if text else (),
        chat_url="https://chat.example.org" if chat else "",
        website="" if (phone or text or chat) else "https://example.org",
    )


LINES = st.lists(
    st.tuples(st.sets(st.sampled_from(TOPICS), min_size=1).map(lambda t: tuple(sorted(t))),
              st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    max_size=8,
).map(lambda rows: [_line(i, *row) for i, row in enumerate(rows)])


@settings(max_examples=300)
@given(LINES, st.sampled_from(TOPICS), st.sampled_from(CONTACTS))
def test_a_way_of_contact_keeps_exactly_the_lines_reachable_that_way(
    lines: list[directory.Hotline], topic: str, contact: str
) -> None:
    made_up = directory.HotlineDirectory.from_entries(lines, ())
    every = made_up.lookup("GB", topic)
    result = made_up.lookup("GB", topic, contact)
    # The emergency numbers always come first, whatever the way asked for.
    assert result.emergency == every.emergency
    # Only lines reachable that way, in the order of the unfiltered answer.
    assert result.lines == tuple(e for e in every.lines if directory.reachable(e, contact))
    asked = every.emergency if topic == "emergency" else every.lines
    assert result.unreachable == (bool(asked) and not any(
        directory.reachable(e, contact) for e in asked))
    # None reachable that way: the answer shows the other ways to reach the topic.
    assert result.other_ways == (every.lines if result.unreachable else ())
    assert result.nothing_verified == every.nothing_verified
    if contact == "any":
        assert not result.unreachable and result.lines == every.lines
        assert result.crisis_by_contact == () and result.contact_topics == ()
    for entry in result.crisis_by_contact:
        assert "crisis" in entry.topics and directory.reachable(entry, contact)
    if result.crisis_by_contact:
        assert topic != "crisis" and (result.unreachable or not asked)
    for other in result.contact_topics:
        assert other not in (topic, "emergency")
        assert any(other in e.topics and directory.reachable(e, contact) for e in lines)
    if result.lines or contact == "any":
        assert result.crisis_by_contact == () and result.contact_topics == ()


@given(LINES)
def test_every_line_can_be_reached_some_way_and_each_way_is_what_the_data_says(
    lines: list[directory.Hotline],
) -> None:
    for entry in lines:
        assert directory.reachable(entry, "any")
        assert directory.reachable(entry, "call") == bool(entry.phones)
        assert directory.reachable(entry, "text") == bool(entry.texts)
        assert directory.reachable(entry, "chat") == bool(entry.chat_url)


def test_text_and_chat_in_the_shipped_data() -> None:
    """The United States: no sexual assault line takes texts, but 988 and the
    Crisis Text Line do; RAINN has a web chat."""
    texted = SHIPPED.lookup("US", "sexual-assault", "text")
    assert texted.lines == () and texted.unreachable
    assert [e.id for e in texted.other_ways] == ["us-rainn"]
    assert {"us-988", "us-crisis-text-line"} <= {e.id for e in texted.crisis_by_contact}
    assert "domestic-violence" in texted.contact_topics
    chat = SHIPPED.lookup("US", "sexual-assault", "chat")
    assert [e.id for e in chat.lines] == ["us-rainn"] and not chat.unreachable
    # The United Kingdom's crisis lines: Shout by text, none by chat.
    assert [e.id for e in SHIPPED.lookup("GB", "crisis", "text").lines] == ["gb-shout"]
    no_chat = SHIPPED.lookup("GB", "crisis", "chat")
    assert no_chat.unreachable and "gb-samaritans" in {e.id for e in no_chat.other_ways}
    assert no_chat.crisis_by_contact == ()  # the topic is crisis itself
    with pytest.raises(ValueError):
        SHIPPED.lookup("GB", "crisis", "fax")


# --- autocomplete ---------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return [s.code for s in SHIPPED.suggest_countries(text)]


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
    suggestions = SHIPPED.suggest_countries("")
    assert len(suggestions) == 25
    assert all(s.has_data for s in suggestions)
    assert [s.name for s in suggestions] == sorted(s.name for s in suggestions)


def test_autocomplete_prefers_countries_with_data_for_a_bare_prefix() -> None:
    first = SHIPPED.suggest_countries("a")[:5]
    assert all(s.has_data for s in first)
    assert {"AR", "AT", "AU"} <= {s.code for s in first}


def test_autocomplete_gives_nothing_for_nonsense() -> None:
    assert _codes("zzqx") == []
    assert _codes("!!!") == _codes("")  # punctuation only is empty text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=-5, max_value=100))
def test_suggest_countries_never_raises_and_never_exceeds_25(text: str, limit: int) -> None:
    suggestions = SHIPPED.suggest_countries(text, limit)
    assert len(suggestions) <= 25
    assert len(suggestions) <= max(limit, 0)
    assert len({s.code for s in suggestions}) == len(suggestions)


# --- resolution ------------------------------------------------------------------


def test_resolve_country_follows_the_spec_order() -> None:
    assert SHIPPED.resolve_country("germny".replace("ny", "any"), "FR", "US") == "DE"
    assert SHIPPED.resolve_country(None, "fr", "US") == "FR"
    assert SHIPPED.resolve_country("", None, "US") == "US"
    assert SHIPPED.resolve_country("  ", "XX", "nz") == "NZ"  # invalid community code ignored


def test_resolve_country_never_guesses() -> None:
    assert SHIPPED.resolve_country(None, None, None) is None
    assert SHIPPED.resolve_country("", "", "") is None


def test_resolve_country_refuses_an_unknown_option_instead_of_falling_back() -> None:
    with pytest.raises(UnknownCountryError) as info:
        SHIPPED.resolve_country("Atlantis", "GB", "US")
    assert info.value.text == "Atlantis"
    # A typo is not silently taken as a country: autocomplete offers it instead.
    with pytest.raises(UnknownCountryError):
        SHIPPED.resolve_country("germny", None, None)


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
    suggestions = SHIPPED.locale_suggestions(locale)
    assert suggestions[0] == first
    assert set(suggestions) <= set(SHIPPED.by_country)


def test_locale_suggestions_for_unknown_locales_are_empty() -> None:
    assert SHIPPED.locale_suggestions("xx-YY") == ()
    assert SHIPPED.locale_suggestions(None) == ()
    assert SHIPPED.locale_suggestions("") == ()


def test_country_menu_starts_with_locale_suggestions_and_fits_discord() -> None:
    menu = SHIPPED.country_menu("es-419")
    assert [s.code for s in menu[:5]] == ["MX", "AR", "CO", "CL", "ES"]
    assert len(menu) == 25
    assert len({s.code for s in menu}) == 25
    plain = SHIPPED.country_menu(None)
    assert [s.name for s in plain] == sorted(s.name for s in plain)
