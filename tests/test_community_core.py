"""bot.core.community: the pure rules of community settings and admin input."""

from __future__ import annotations

import re
import unicodedata

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import community as rules
from bot.core import hotlines
from bot.core.community import InvalidInput
from bot.text import admin as text

MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)", re.IGNORECASE)
CODES = sorted(c.alpha_2 for c in pycountry.countries)


def problem(fn, *args) -> str:
    with pytest.raises(InvalidInput) as caught:
        fn(*args)
    return caught.value.problem


# ---------------------------------------------------------------- defaults and bounds
def test_defaults_and_bounds_match_the_spec() -> None:
    assert rules.DEFAULT_THRESHOLD == 10
    assert rules.MIN_THRESHOLD == 5
    assert rules.MAX_RESOURCES == 25
    # A name is an autocomplete choice (<= 100) and fits an embed line.
    assert rules.NAME_MAX <= 100
    # A resource fits one embed field value (<= 1024) even if every character is escaped.
    assert 2 * (rules.NAME_MAX + rules.DESCRIPTION_MAX) + rules.URL_MAX + rules.PHONE_MAX < 1024


def test_every_problem_has_a_message() -> None:
    for key in ("empty", "too_long", "control", "mention", "link_in_text", "url_not_https",
                "url_invalid", "phone_invalid", "phone_needs_country", "duplicate_name",
                "too_many_resources", "threshold_range", "country_unknown"):
        assert key in text.PROBLEMS


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_threshold_is_accepted_exactly_within_bounds(value: int) -> None:
    if rules.MIN_THRESHOLD <= value <= rules.MAX_THRESHOLD:
        assert rules.validate_threshold(value) == value
    else:
        assert problem(rules.validate_threshold, value) == "threshold_range"


def test_threshold_refuses_non_integers() -> None:
    for value in (True, 10.0, "10", None):
        assert problem(rules.validate_threshold, value) == "threshold_range"


# ---------------------------------------------------------------- text
@pytest.mark.parametrize("raw, expected", [
    ("  Campus   Counselling  ", "Campus Counselling"),
    ("Rape Crisis (England & Wales)", "Rape Crisis (England & Wales)"),
    ("Café ☕ 24/7", "Café ☕ 24/7"),
    ("email help@uni.example", "email help@uni.example"),
    ("👩‍⚕️ Nurse line", "👩‍⚕️ Nurse line"),  # a zero-width joiner inside an emoji
])
def test_clean_text_keeps_ordinary_text(raw: str, expected: str) -> None:
    assert rules.clean_text(raw, "name", rules.NAME_MAX) == expected


@pytest.mark.parametrize("raw, expected", [
    ("", "empty"),
    ("   ", "empty"),
    ("x" * (rules.NAME_MAX + 1), "too_long"),
    ("line one\nline two", "control"),
    ("tab\there", "control"),
    ("bidi \u202egnirts", "control"),
    ("zero\u200bwidth", "control"),
    ("hello @everyone", "mention"),
    ("hello @here", "mention"),
    ("@EVERYONE shout", "mention"),
    ("ask <@123456789012345678>", "mention"),
    ("ask <@!123456789012345678>", "mention"),
    ("role <@&123456789012345678>", "mention"),
    ("see <#123456789012345678>", "mention"),
    ("run </help:123>", "mention"),
    ("visit http://example.org", "link_in_text"),
    ("visit https://example.org", "link_in_text"),
])
def test_clean_text_refuses_hostile_text(raw: str, expected: str) -> None:
    assert problem(rules.clean_text, raw, "name", rules.NAME_MAX) == expected


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_clean_text_returns_only_safe_text_or_refuses(raw: str) -> None:
    try:
        clean = rules.clean_text(raw, "description", rules.DESCRIPTION_MAX)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
        return
    assert 0 < len(clean) <= rules.DESCRIPTION_MAX
    assert clean == clean.strip() and "  " not in clean
    assert not rules.has_control_characters(clean)
    assert not MENTION.search(clean)
    assert not re.search(r"[a-z][a-z0-9+.\-]*://", clean, re.IGNORECASE)  # no link


@settings(max_examples=300)
@given(st.text(max_size=300), st.one_of(st.none(), st.integers(min_value=1, max_value=500)))
def test_neutralised_text_never_carries_a_mention(raw: str, limit: int | None) -> None:
    shown = rules.neutralise(raw, limit)
    assert not MENTION.search(shown)
    assert "\n" not in shown and "\u202e" not in shown
    if limit is not None:
        assert len(shown) <= limit
        # No dangling escape before the ellipsis.
        body = shown.removesuffix("…")
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


@pytest.mark.parametrize("raw, shown", [
    ("**bold** and _it_", "\\*\\*bold\\*\\* and \\_it\\_"),
    ("[click](https://evil.example)", "\\[click\\]\\(https://evil.example\\)"),
    ("# Heading", "\\# Heading"),
    ("-# small", "\\-# small"),
    ("> quote", "\\> quote"),
    ("1. list", "1\\. list"),
    ("`code` ||spoiler|| ~~gone~~", "\\`code\\` \\|\\|spoiler\\|\\| \\~\\~gone\\~\\~"),
    ("a - b # c", "a - b # c"),  # only markdown at the start of a line
    ("@everyone", "@\u200beveryone"),
    ("<@123>", "\\<\u200b@123\\>"),
])
def test_neutralise_escapes_markdown_and_breaks_mentions(raw: str, shown: str) -> None:
    assert rules.neutralise(raw) == shown


# ---------------------------------------------------------------- urls
@pytest.mark.parametrize("url", [
    "https://example.org",
    "https://www.example.org/help?lang=en&x=1#top",
    "https://example.org/a_b-c~d/%20e",
    "https://medium.com/@someone/post",
    "https://xn--80ak6aa92e.xn--p1ai/",
    "HTTPS://EXAMPLE.ORG/",
])
def test_https_urls_are_accepted(url: str) -> None:
    assert rules.validate_url(url) == url


@pytest.mark.parametrize("url, expected", [
    ("http://example.org", "url_not_https"),
    ("HTTP://example.org", "url_not_https"),
    ("ftp://example.org", "url_invalid"),
    ("javascript:alert(1)", "url_invalid"),
    ("example.org", "url_invalid"),
    ("https://", "url_invalid"),
    ("https://localhost/", "url_invalid"),
    ("https://user:pass@example.org/", "url_invalid"),
    ("https://example.org:8443/", "url_invalid"),
    ("https://exa mple.org/", "url_invalid"),
    ("https://example.org/<script>", "url_invalid"),
    ("https://example.org/\n", "url_invalid"),
    ("https://example.org/@everyone", "mention"),
    ("https://example.org/" + "a" * rules.URL_MAX, "too_long"),
    ("   ", "empty"),
])
def test_bad_urls_are_refused(url: str, expected: str) -> None:
    assert problem(rules.validate_url, url) == expected


@settings(max_examples=300)
@given(st.text(max_size=100).map(lambda s: "https://example.org/" + s) | st.text(max_size=60))
def test_an_accepted_url_is_always_a_plain_https_link(raw: str) -> None:
    try:
        url = rules.validate_url(raw)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
        return
    assert url.lower().startswith("https://")
    assert len(url) <= rules.URL_MAX
    assert not any(c.isspace() for c in url) and "<" not in url and ">" not in url
    assert not MENTION.search(url)


# ---------------------------------------------------------------- phones
def test_phone_numbers_parse_for_the_community_country() -> None:
    assert rules.validate_phone("020 7946 0958", "GB") == "+44 20 7946 0958"
    # One way to write a number everywhere: digit groups and spaces, no hyphens.
    assert rules.validate_phone("+1 202 555 0123", "GB") == "+1 202 555 0123"
    assert rules.validate_phone("+1 (202) 555-0123", None) == "+1 202 555 0123"
    assert rules.validate_phone("116 123", "GB") == "116 123"  # a short number, as grouped
    assert rules.validate_phone("116-123", "GB") == "116 123"


@pytest.mark.parametrize("raw, country, expected", [
    ("12345", "GB", "phone_invalid"),
    ("020 7946 0958", "US", "phone_invalid"),
    ("not a number", "GB", "phone_invalid"),
    ("+44 1", None, "phone_invalid"),
    ("020 7946 0958", None, "phone_needs_country"),
    ("116 123", None, "phone_needs_country"),
    ("+44 20 7946 0958\n", "GB", "phone_invalid"),
    ("@everyone", "GB", "phone_invalid"),
    ("1" * (rules.PHONE_MAX + 1), "GB", "too_long"),
])
def test_invalid_phone_numbers_are_refused(raw: str, country: str | None, expected: str) -> None:
    assert problem(rules.validate_phone, raw, country) == expected


@settings(max_examples=200)
@given(st.text(alphabet="0123456789 +-()", max_size=25), st.sampled_from(["GB", "US", "DE", None]))
def test_phone_validation_never_crashes(raw: str, country: str | None) -> None:
    try:
        shown = rules.validate_phone(raw, country)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
    else:
        assert shown and len(shown) <= rules.PHONE_MAX


# ---------------------------------------------------------------- resources
def test_validate_resource_checks_every_part() -> None:
    resource = rules.validate_resource(
        " Campus Help ", "Free, confidential counselling.", "https://uni.example/help",
        "020 7946 0958", "GB",
    )
    assert resource == rules.ResourceInput(
        "Campus Help", "Free, confidential counselling.", "https://uni.example/help",
        "+44 20 7946 0958",
    )
    assert rules.validate_resource("A", "B", None, "  ", None).phone is None
    assert problem(rules.validate_resource, "A", "x @everyone", None, None, None) == "mention"
    assert problem(rules.validate_resource, "A", "B", "http://a.example", None, None) \
        == "url_not_https"


def test_room_for_a_resource() -> None:
    rules.check_room_for_resource(["One", "Two"], "Three")
    assert problem(rules.check_room_for_resource, ["Campus Help"], "campus HELP") \
        == "duplicate_name"
    full = [f"r{i}" for i in range(rules.MAX_RESOURCES)]
    assert problem(rules.check_room_for_resource, full, "new") == "too_many_resources"


def test_resource_choices() -> None:
    names = ["Campus Help", "Union Contact", "Night Line"]
    assert [v for _, v in rules.resource_choices(names, "")] == names
    assert rules.resource_choices(names, "union")[0] == ("Union Contact", "Union Contact")
    assert rules.resource_choices(names, "campsu help")[0][1] == "Campus Help"
    many = [f"Resource {i}" for i in range(40)]
    assert len(rules.resource_choices(many, "res")) == rules.MAX_CHOICES


# ---------------------------------------------------------------- countries
@pytest.mark.parametrize("typed, code", [
    ("DE", "DE"), ("de", "DE"), ("deu", "DE"), ("Germany", "DE"), ("germny", "DE"),
    ("uk", "GB"), ("england", "GB"), ("United Kingdom", "GB"),
    ("usa", "US"), ("united states", "US"), ("south korea", "KR"),
    ("ivory coast", "CI"), ("fracne", "FR"), ("Brasil", "BR"),
])
def test_country_choices_find_the_country_first(typed: str, code: str) -> None:
    choices = rules.country_choices(typed)
    assert choices and choices[0][1] == code
    assert f"({code})" in choices[0][0]


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_country_choices_stay_within_discord_limits(typed: str) -> None:
    choices = rules.country_choices(typed)
    assert len(choices) <= 25
    for name, code in choices:
        assert 1 <= len(name) <= 100
        assert code in CODES


def test_country_setting_accepts_what_hotline_accepts() -> None:
    # One resolver (issue 10, point 3): codes, names, aliases and flags.
    for typed, code in [("gb", "GB"), (" FR ", "FR"), ("UK", "GB"), ("GBR", "GB"),
                        ("england", "GB"), ("United States", "US"), ("\U0001f1e9\U0001f1ea", "DE"),
                        ("\u202eGB", "GB")]:
        assert rules.parse_country_setting(typed) == code, typed
    assert rules.parse_country_setting("none") is None
    with pytest.raises(InvalidInput) as caught:
        rules.parse_country_setting("Germny")
    assert caught.value.problem == "country_unknown"
    assert caught.value.details["suggestion"] == "Germany (DE)"
    for bad in ("XX", "ZZ", "G", "@everyone", "'; DROP TABLE x", ""):
        assert problem(rules.parse_country_setting, bad) == "country_unknown"


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=30), st.sampled_from(
    ["uk", "usa", "England", "deu", "Côte d'Ivoire", "\U0001f1ef\U0001f1f5", "germny", "none"])))
def test_config_country_and_hotline_country_resolve_alike(typed: str) -> None:
    try:
        stored = rules.parse_country_setting(typed)
    except InvalidInput:
        assert hotlines.find_country(typed) is None
        return
    if stored is not None:
        assert stored == hotlines.find_country(typed)


@given(st.text(max_size=10))
def test_only_real_alpha2_codes_are_stored(raw: str) -> None:
    try:
        code = rules.parse_country_setting(raw)
    except InvalidInput:
        return
    assert code is None or code in CODES


def test_country_names() -> None:
    assert rules.country_name("GB") == "United Kingdom"
    assert rules.country_name("KR") == "South Korea"
    assert rules.country_name("XX") == "XX"  # never raises on a stored oddity
    assert rules.country_in_text("GB") == "the United Kingdom"
    assert rules.country_in_text("DE") == "Germany"


# ---------------------------------------------------------------- text a person typed
# Hostile pieces hypothesis mixes into typed text: mentions, links, direction
# and zero-width characters, markdown.
HOSTILE = st.sampled_from([
    "@everyone", "@here", "@EVERYONE", "<@123>", "<@!123>", "<@&45>", "<#67>", "</cmd:89>",
    "https://evil.example/x", "http://a.b", "HTTPS://X.Y", "www.evil.example", "discord.gg/abc",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200e", "\u200f", "\u061c", "\r\n", "\x00",
    "**", "__", "`", "||", "> ", "# ", "[a](b)", "@", "<", ">", "://", "ever", "one", "h",
])
TYPED = st.lists(st.one_of(HOSTILE, st.text(max_size=12)), max_size=12).map("".join)
DIRECTION = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@settings(max_examples=500)
@given(TYPED, st.integers(min_value=1, max_value=120))
def test_typed_text_removes_mentions_links_control_and_direction(raw: str, limit: int) -> None:
    shown = rules.typed_text(raw, limit)
    assert len(shown) <= limit
    assert not rules.has_mention(shown), shown
    assert not re.search(r"@(everyone|here)", shown, re.IGNORECASE), shown
    assert "://" not in shown and "www." not in shown.casefold(), shown
    assert not DIRECTION & set(shown)
    assert not any(
        unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") for c in shown
    ), shown
    assert all(c in "\u200c\u200d" or 0xE0020 <= ord(c) <= 0xE007F
               for c in shown if unicodedata.category(c) == "Cf"), shown


def test_typed_text_keeps_what_is_harmless() -> None:
    assert rules.typed_text("germny", 60) == "germny"
    assert rules.typed_text("Côte d'Ivoire", 60) == "Côte d'Ivoire"
    assert rules.typed_text("*bold*", 60) == "\\*bold\\*"  # shown as typed, not formatted
    assert rules.typed_text("\u202egermny @everyone https://x.example", 60) == "germny"
    assert rules.typed_text("@ever@everyoneyone", 60) == ""  # no mention left behind
