"""The rules of a community's settings: bounds, and validation of admin input.

Pure: no discord import. Every refusal raises `InvalidInput` with a problem key
and details; render.py turns it into a kind sentence (text.PROBLEMS) that says
what to fix. Admin input is treated as hostile: it may carry mentions, markdown,
control characters, over-long text or links to anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import shortnumberinfo
from rapidfuzz import fuzz, process

from bot.features.hotlines import find_country, suggest_countries, written_number
from bot.kit import countries
from bot.kit.cards import Limits
from bot.kit.safe_text import has_control_characters, has_mention, has_visible_character
from bot.storage.records import MIN_THRESHOLD

# ---------------------------------------------------------------- defaults, bounds
# The threshold's bounds: MIN_THRESHOLD (a count is never shown below 5) is the
# stored setting's own, in bot.storage.records.
MAX_THRESHOLD = 10_000
MAX_RESOURCES = 25

# Lengths that fit Discord: a name is an autocomplete choice (at most 100) and
# a line of an embed; a resource (name, description, link, phone) fits one embed
# field value (at most 1024) even after escaping.
NAME_MAX = 80
DESCRIPTION_MAX = 300
URL_MAX = 200
PHONE_MAX = 40

MAX_CHOICES = Limits.CHOICES
CHOICE_NAME_MAX = Limits.CHOICE_NAME

# Values of /config country that clear the setting.
CLEAR_WORDS = frozenset({"none", "off", "clear", "unset", "-"})


class InvalidInput(ValueError):
    """Admin input that cannot be used. `problem` is a key of text.PROBLEMS;
    `details` fill its placeholders. Never logged with values."""

    def __init__(self, problem: str, **details: object) -> None:
        super().__init__(problem)
        self.problem = problem
        self.details = details


# ---------------------------------------------------------------- text
# A link anywhere in admin text (a scheme and "://"): refused in names and descriptions.
_LINK = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def clean_text(raw: str, field: str, limit: int) -> str:
    """One line of admin text: trimmed, inner spaces collapsed, NFC; refused when
    empty, invisible, too long, with control characters, mentions or a link."""
    if has_control_characters(raw):
        raise InvalidInput("control", field=field)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    if not text:
        raise InvalidInput("empty", field=field)
    if not has_visible_character(text):
        raise InvalidInput("invisible", field=field)
    if len(text) > limit:
        raise InvalidInput("too_long", field=field, length=len(text), limit=limit)
    if has_mention(text):
        raise InvalidInput("mention", field=field)
    if _LINK.search(text):
        raise InvalidInput("link_in_text", field=field)
    return text


# ---------------------------------------------------------------- urls
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_HOST = re.compile(
    r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9\-]{1,59})"
)


# Shown as a masked link, [domain](url): a bracket or parenthesis could close
# it early and open a second link with text of the admin's choosing, and a
# second scheme inside the address could show one site while pointing to another.
_URL_MARKDOWN = frozenset("[]()")


def validate_url(raw: str) -> str:
    """An https link to a named host: no credentials, no spaces or characters
    outside RFC 3986, no brackets or parentheses, one scheme only, no mention
    text, at most URL_MAX characters."""
    if has_control_characters(raw):
        raise InvalidInput("url_invalid")
    url = raw.strip()
    if not url:
        raise InvalidInput("empty", field="url")
    if len(url) > URL_MAX:
        raise InvalidInput("too_long", field="url", length=len(url), limit=URL_MAX)
    if not _URL_CHARS.fullmatch(url):
        raise InvalidInput("url_invalid")
    scheme, _, rest = url.partition("://")
    if scheme.lower() == "http":
        raise InvalidInput("url_not_https")
    if scheme.lower() != "https" or not rest:
        raise InvalidInput("url_invalid")
    if _URL_MARKDOWN & set(url) or "://" in rest:
        raise InvalidInput("url_markdown")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput("url_invalid") from None
    host = (parts.hostname or "").lower()
    if "@" in parts.netloc or port not in (None, 443) or not _HOST.fullmatch(host):
        raise InvalidInput("url_invalid")
    if has_mention(url):
        raise InvalidInput("mention", field="url")
    return url


def link_domain(url: str) -> str | None:
    """The domain an admin's link is shown as (lower case, without "www."), or
    None when the stored link would be refused today (a row from before a rule):
    such a link is not shown at all."""
    try:
        url = validate_url(url)
    except InvalidInput:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def link_markdown(url: str) -> str | None:
    """An admin's link as a masked link whose visible text is its domain, so
    the text cannot claim to be another site; None when it is not shown."""
    domain = link_domain(url)
    return None if domain is None else f"[{domain}]({url.strip()})"


# ---------------------------------------------------------------- phones
# Kinds of number a support line must not be (phonenumbers' number types):
# callers may be charged a lot, the number may be forwarded anywhere, or nobody
# answers it. Valid numbers never have the unknown type; it is listed so that no
# library change can let one through. Short numbers (116 123) are not judged by
# cost: libphonenumber's short-number cost data calls some free national
# helplines premium-rate (France's 3919).
REFUSED_PHONE_TYPES: dict[int, str] = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
    phonenumbers.PhoneNumberType.UNKNOWN: "unknown",
}


def has_non_ascii_digits(text: str) -> bool:
    """Digits other than 0-9 (Arabic-Indic, full-width, circled, superscript):
    phonenumbers reads many of them as digits, so what an admin sees and what
    is dialled could differ."""
    return any(not c.isascii() and unicodedata.category(c)[0] == "N" for c in text)


def validate_phone(raw: str, country: str | None) -> str:
    """A phone number valid for `country` (or written with +country code), or a
    valid short number of `country` (like 116 123), written with ASCII digits,
    and not of a kind in REFUSED_PHONE_TYPES. Returns it formatted for display:
    international format with spaces only, or the short number's digits."""
    if has_control_characters(raw):
        raise InvalidInput("phone_invalid", country=country)
    text = raw.strip()
    if not text:
        raise InvalidInput("empty", field="phone")
    if len(text) > PHONE_MAX:
        raise InvalidInput("too_long", field="phone", length=len(text), limit=PHONE_MAX)
    if has_mention(text):
        raise InvalidInput("phone_invalid", country=country)
    if has_non_ascii_digits(text):
        raise InvalidInput("phone_digits")
    if country is None and not text.startswith("+"):
        raise InvalidInput("phone_needs_country")
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        raise InvalidInput("phone_invalid", country=country) from None
    if phonenumbers.is_valid_number(number):
        kind = REFUSED_PHONE_TYPES.get(phonenumbers.number_type(number))
        if kind is not None:
            raise InvalidInput("phone_type", kind=kind)
        # Written like every number the bot shows: digit groups and spaces.
        return written_number(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )
    if (
        country is not None
        and not text.startswith("+")
        and shortnumberinfo.is_valid_short_number_for_region(number, country)
    ):
        # As the admin grouped it (like the shipped "116 123"), spaces only.
        return written_number(text)
    raise InvalidInput("phone_invalid", country=country)


# ---------------------------------------------------------------- resources
@dataclass(frozen=True)
class ResourceInput:
    name: str
    description: str
    url: str | None
    phone: str | None


def validate_resource(
    name: str, description: str, url: str | None, phone: str | None, country: str | None
) -> ResourceInput:
    """All of a new resource checked; the first problem found is raised."""
    clean_name = clean_text(name, "name", NAME_MAX)
    clean_description = clean_text(description, "description", DESCRIPTION_MAX)
    clean_url = validate_url(url) if url is not None and url.strip() else None
    clean_phone = validate_phone(phone, country) if phone is not None and phone.strip() else None
    return ResourceInput(clean_name, clean_description, clean_url, clean_phone)


def check_room_for_resource(existing_names: list[str], name: str) -> None:
    """Refuse a duplicate name (case-insensitive) or a 26th resource."""
    if name.casefold() in {n.casefold() for n in existing_names}:
        raise InvalidInput("duplicate_name", name=name)
    if len(existing_names) >= MAX_RESOURCES:
        raise InvalidInput("too_many_resources", limit=MAX_RESOURCES)


def resource_choices(names: list[str], text: str) -> list[tuple[str, str]]:
    """Autocomplete for resource-remove: names containing the typed text first
    (in their order), then close matches; (display, value) pairs."""
    typed = _SPACES.sub(" ", text).strip().casefold()[:CHOICE_NAME_MAX]
    if not typed:
        ranked = list(names)
    else:
        contains = [n for n in names if typed in n.casefold()]
        close = [
            n for n, _score, _i in process.extract(
                typed, names, scorer=fuzz.WRatio, processor=str.casefold,
                limit=MAX_CHOICES, score_cutoff=60,
            ) if n not in contains
        ]
        ranked = contains + close
    return [(n[:CHOICE_NAME_MAX], n[:CHOICE_NAME_MAX]) for n in ranked[:MAX_CHOICES]]


# ---------------------------------------------------------------- threshold
def validate_threshold(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) \
            or not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise InvalidInput("threshold_range", low=MIN_THRESHOLD, high=MAX_THRESHOLD)
    return value


# ---------------------------------------------------------------- countries
# Names live in bot.kit.countries; how a typed country resolves is the hotlines
# feature's one resolver, the same for /hotline, /resources and /config country.
def country_name(code: str) -> str:
    """The country's name, or the code itself for a stored oddity (never raises)."""
    try:
        return countries.country_name(code)
    except countries.UnknownCountryError:
        return code


def country_in_text(code: str) -> str:
    """The country's name as it reads in a sentence ("the United Kingdom")."""
    try:
        return countries.country_in_text(code)
    except countries.UnknownCountryError:
        return code


def parse_country_setting(value: str) -> str | None:
    """The value of /config country: whatever /hotline's country option accepts
    (a code, a name, an alias, a flag; autocomplete fills in a code), or a clear
    word for none. Anything else is refused, with the closest country as a
    suggestion: autocomplete is only a suggestion, any string can arrive."""
    text = _SPACES.sub(" ", value).strip()
    if text.casefold() in CLEAR_WORDS:
        return None
    code = find_country(text)
    if code is not None:
        return code
    suggestions = country_choices(text[:CHOICE_NAME_MAX]) if not has_control_characters(text) \
        else []
    suggestion = suggestions[0] if suggestions else None
    raise InvalidInput(
        "country_unknown",
        suggestion=f"{suggestion[0]}" if suggestion else None,
    )


def country_choices(text: str) -> list[tuple[str, str]]:
    """Autocomplete for a country: (display name, ISO code), at most 25, best
    first: the same index as /hotline's country option (codes, English names,
    common aliases, flags, typos)."""
    return [
        (f"{s.name} ({s.code})"[:CHOICE_NAME_MAX], s.code)
        for s in suggest_countries(text[:CHOICE_NAME_MAX])
    ]
