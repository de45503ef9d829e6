"""bot.features.config.rules: the pure rules of community settings and admin input."""

from __future__ import annotations

import re

import phonenumbers
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features import hotlines
from bot.features.config import rules, text
from bot.features.config.rules import InvalidInput
from bot.kit import safe_text
from bot.storage import records

MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)", re.IGNORECASE)
CODES = sorted(c.alpha_2 for c in pycountry.countries)


def problem(fn, *args) -> str:
    with pytest.raises(InvalidInput) as caught:
        fn(*args)
    return caught.value.problem


# ---------------------------------------------------------------- defaults and bounds
def test_defaults_and_bounds_match_the_spec() -> None:
    assert records.DEFAULT_THRESHOLD == 10
    assert rules.MIN_THRESHOLD == 5
    assert rules.MAX_RESOURCES == 25
    # A name is an autocomplete choice (<= 100) and fits an embed line.
    assert rules.NAME_MAX <= 100
    # A resource fits one embed field value (<= 1024) even if every character is escaped.
    assert 2 * (rules.NAME_MAX + rules.DESCRIPTION_MAX) + rules.URL_MAX + rules.PHONE_MAX < 1024


def test_every_problem_has_a_message() -> None:
    for key in ("empty", "invisible", "too_long", "control", "mention", "link_in_text",
                "url_not_https", "url_invalid", "url_markdown", "phone_invalid", "phone_digits",
                "phone_type", "phone_needs_country", "duplicate_name", "too_many_resources",
                "threshold_range", "country_unknown"):
        assert key in text.PROBLEMS
    assert set(text.PHONE_KINDS) == set(rules.REFUSED_PHONE_TYPES.values())


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


# Characters that draw nothing (issue 11, point 9): spaces of every kind, the
# Hangul fillers, the braille blank, the musical null notehead, combining marks,
# the joiners and tag characters that are allowed inside real text.
BLANKS = (
    " \u00a0\u2002\u2003\u2007\u202f\u205f\u3000"  # spaces
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800\U0001d159"  # braille blank, musical null notehead
    "\u0300\u0301\u034f\u20dd\ufe0f\u17b4"  # combining marks and selectors alone
    "\u200c\u200d\U000e0067\U000e0062"  # joiners, tag characters
)


@pytest.mark.parametrize("raw", [
    "\u3164", "\u3164\u3164\u3164", "\u115f\u1160", "\uffa0 \uffa0", "\u2800",
    "\u2800\u2800 \u2800", "\u0301", "\u0301\u0302\u0303", "\u20dd", "\u200d",
    "\U000e0067\U000e0062", "\U0001d159", "\u3000\u3164\u3000",
])
def test_names_of_only_invisible_characters_are_refused(raw: str) -> None:
    assert problem(rules.clean_text, raw, "name", rules.NAME_MAX) == "invisible"
    assert problem(rules.clean_text, raw, "description", rules.DESCRIPTION_MAX) == "invisible"


@pytest.mark.parametrize("raw", [
    "e\u0301cole", "한국 상담", "\u2800 Braille Help", "\u3164A", "🏳️‍🌈", "👩‍⚕️", ".", "1",
])
def test_text_with_something_visible_is_kept(raw: str) -> None:
    assert rules.clean_text(raw, "name", rules.NAME_MAX)


@settings(max_examples=300)
@given(st.text(alphabet=BLANKS, min_size=1, max_size=40))
def test_text_made_of_blanks_is_always_refused(raw: str) -> None:
    assert problem(rules.clean_text, raw, "name", rules.NAME_MAX) in ("empty", "invisible")


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_clean_text_returns_only_safe_text_or_refuses(raw: str) -> None:
    try:
        clean = rules.clean_text(raw, "description", rules.DESCRIPTION_MAX)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
        return
    assert 0 < len(clean) <= rules.DESCRIPTION_MAX
    assert safe_text.has_visible_character(clean)
    assert clean == clean.strip() and "  " not in clean
    assert not safe_text.has_control_characters(clean)
    assert not MENTION.search(clean)
    assert not re.search(r"[a-z][a-z0-9+.\-]*://", clean, re.IGNORECASE)  # no link


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


@pytest.mark.parametrize("url", [
    "https://en.wikipedia.org/wiki/Me_Too_(movement)",
    "https://uni.example/help)[Official_help](https://evil.example",
    "https://uni.example/[x]",
    "https://uni.example/a](https://evil.example)",
    "https://uni.example/?next=https://evil.example",
    "https://uni.example/https://evil.example",
])
def test_urls_that_could_open_a_second_link_are_refused(url: str) -> None:
    assert problem(rules.validate_url, url) == "url_markdown"


@pytest.mark.parametrize("url, domain", [
    ("https://uni.example/help", "uni.example"),
    ("https://WWW.Uni.Example/help?x=1#top", "uni.example"),
    ("https://uni.example:443/", "uni.example"),
    ("https://www2.uni.example/", "www2.uni.example"),
    ("https://xn--80ak6aa92e.xn--p1ai/", "xn--80ak6aa92e.xn--p1ai"),
])
def test_a_link_is_shown_as_its_domain(url: str, domain: str) -> None:
    assert rules.link_domain(url) == domain
    assert rules.link_markdown(url) == f"[{domain}]({url})"


@pytest.mark.parametrize("stored", [
    "https://uni.example/help)[Official help](https://evil.example",
    "http://uni.example/", "javascript:alert(1)", "https://uni.example/a b", "",
])
def test_a_stored_link_refused_today_is_not_shown(stored: str) -> None:
    assert rules.link_domain(stored) is None and rules.link_markdown(stored) is None


URL_TAIL = st.text(alphabet="abc/?#&=:.%-_~[]()<>@!*' \\`|\n", max_size=60)
MASKED_LINK = re.compile(r"\[([a-z0-9.\-]+)\]\((https://[^\s()\[\]<>]+)\)", re.IGNORECASE)


@settings(max_examples=500)
@given(st.sampled_from(["https://example.org/", "https://www.uni.example", "HTTPS://a.example"]),
       URL_TAIL)
def test_an_accepted_link_renders_as_exactly_one_masked_link(base: str, tail: str) -> None:
    raw = base + tail
    try:
        url = rules.validate_url(raw)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
        return
    assert not set("[]()") & set(url) and url.count("://") == 1
    shown = rules.link_markdown(url)
    assert shown is not None
    match = MASKED_LINK.fullmatch(shown)
    assert match is not None, shown
    assert match[2] == url and "." in match[1] and match[1] == match[1].lower()


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
    assert not set("[]()") & set(url) and url.count("://") == 1
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


@pytest.mark.parametrize("raw, country, kind", [
    ("09065 123456", "GB", "premium_rate"),
    ("0870 123 4567", "GB", "premium_rate"),
    ("+1 900 555 1234", None, "premium_rate"),
    ("070 1234 5678", "GB", "personal"),
    ("+1 500 555 0000", None, "personal"),
    ("076 0012 3456", "GB", "pager"),
])
def test_numbers_of_refused_kinds_are_refused(raw: str, country: str | None, kind: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        rules.validate_phone(raw, country)
    assert caught.value.problem == "phone_type"
    assert caught.value.details == {"kind": kind}


def test_every_refused_kind_is_refused_in_every_region_phonenumbers_has_an_example_for() -> None:
    """phonenumbers decides the kind: its own example number of each refused
    kind, in every region, is refused with that kind."""
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type, kind in rules.REFUSED_PHONE_TYPES.items():
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None or number_type == phonenumbers.PhoneNumberType.UNKNOWN:
                continue
            written = phonenumbers.format_number(
                example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            with pytest.raises(InvalidInput) as caught:
                rules.validate_phone(written, region)
            assert (caught.value.problem, caught.value.details) == ("phone_type", {"kind": kind})
            checked += 1
    assert checked > 100


def test_ordinary_free_and_short_numbers_are_kept() -> None:
    assert rules.validate_phone("0808 802 9999", "GB") == "+44 808 802 9999"  # toll-free
    assert rules.validate_phone("0300 123 1100", "GB") == "+44 300 123 1100"  # UAN
    assert rules.validate_phone("3919", "FR") == "3919"  # a free short line


@pytest.mark.parametrize("raw", [
    "０２０ ７９４６ ０９５８",  # full-width
    "٠٢٠ ٧٩٤٦ ٠٩٥٨",  # Arabic-Indic
    "۰۲۰ ۷۹۴۶ ۰۹۵۸",  # Extended Arabic-Indic (Persian)
    "०२० ७९४६ ०९५८",  # Devanagari
    "020 7946 095٨",  # one digit is enough
    "020 7946 095⁸",  # superscript
    "020 7946 095⑧",  # circled
])
def test_phone_numbers_with_non_ascii_digits_are_refused(raw: str) -> None:
    assert problem(rules.validate_phone, raw, "GB") == "phone_digits"


NON_ASCII_DIGITS = st.characters(categories=["Nd", "No", "Nl"]).filter(lambda c: not c.isascii())


@settings(max_examples=300)
@given(st.text(alphabet="0123456789 ", max_size=12), NON_ASCII_DIGITS,
       st.text(alphabet="0123456789 ", max_size=12))
def test_any_non_ascii_digit_is_refused(before: str, digit: str, after: str) -> None:
    assert problem(rules.validate_phone, "020 " + before + digit + after, "GB") == "phone_digits"


@settings(max_examples=300)
@given(st.text(alphabet="0123456789 +-()٠١٢٣٤٥٦٧٨٩０１２", max_size=25),
       st.sampled_from(["GB", "US", "DE", "FR", None]))
def test_an_accepted_phone_number_is_of_an_allowed_kind(raw: str, country: str | None) -> None:
    try:
        shown = rules.validate_phone(raw, country)
    except InvalidInput as error:
        assert error.problem in text.PROBLEMS
        return
    assert raw.isascii()
    number = phonenumbers.parse(shown, country)
    if phonenumbers.is_valid_number(number):
        assert phonenumbers.number_type(number) not in rules.REFUSED_PHONE_TYPES


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
