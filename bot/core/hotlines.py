"""The hotline directory: loading, validation, lookup and country search.

Pure domain code: no discord import. The cog in ``bot/features`` turns what this
module returns into embeds; everything that decides *which* number a person
sees lives here, where it is tested without Discord.

Safety rules this module enforces (issue 3, SPEC section 5):

* every phone number parses and is valid for its country (libphonenumber);
* short codes (988, 116 123, 016...) are checked against libphonenumber's
  short-number data and are kept exactly as dialled: they have no
  international form, so this module never produces ``+`` or ``tel:`` forms;
* a short code libphonenumber does not know yet must say so explicitly
  (``short_code_unknown_to_libphonenumber``) and name its source;
* every URL is https, every country a real ISO 3166-1 code, ids are unique and
  no entry claims to have been checked in the future.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import pycountry
from phonenumbers import shortnumberinfo
from rapidfuzz import fuzz, process

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "hotlines.toml"

TOPICS: tuple[str, ...] = (
    "sexual-assault",
    "harassment-at-work",
    "domestic-violence",
    "crisis",
    "lgbtq",
    "youth",
    "emergency",
)
DEFAULT_TOPIC = "sexual-assault"
EMERGENCY = "emergency"

# Discord allows at most 25 autocomplete choices and 25 select options.
MAX_CHOICES = 25

SCHEMA_VERSION = 1


class DataError(ValueError):
    """The directory file is invalid. The message names the entry and the field."""

    def __init__(self, entry: str, field_name: str, problem: str) -> None:
        self.entry = entry
        self.field = field_name
        self.problem = problem
        super().__init__(f"hotlines: entry {entry!r}, field {field_name!r}: {problem}")


class UnknownCountryError(LookupError):
    """A country option that is not an ISO code, English name or known alias."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"unknown country: {text!r}")


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phone:
    """A number as dialled inside its country. Never reformatted."""

    number: str
    label: str = ""
    short: bool = False
    unknown_to_libphonenumber: bool = False
    marker_source: str = ""


@dataclass(frozen=True, slots=True)
class TextLine:
    """An SMS (or WhatsApp) route: optional keyword plus the number to text."""

    number: str
    keyword: str = ""
    label: str = ""
    channel: str = "SMS"
    short: bool = False


@dataclass(frozen=True, slots=True)
class Hotline:
    id: str
    reference_id: str
    country: str
    topics: tuple[str, ...]
    organisation: str
    service: str
    hours: str
    cost: str
    languages: tuple[str, ...]
    checked: dt.date
    region: str = ""
    phones: tuple[Phone, ...] = ()
    texts: tuple[TextLine, ...] = ()
    chat_url: str = ""
    website: str = ""
    notes: tuple[str, ...] = ()
    safety_notes: tuple[str, ...] = ()
    source_note: str = ""
    resolution: str = ""
    sources: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return EMERGENCY in self.topics


@dataclass(frozen=True, slots=True)
class DirectoryLink:
    """An international directory such as findahelpline.com."""

    id: str
    reference_id: str
    name: str
    description: str
    website: str
    checked: dt.date
    source_note: str = ""
    sources: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What /hotline shows for one country and topic.

    ``emergency`` always comes first in the answer. ``nothing_verified`` is the
    honest empty marker: the answer must then say so and point to the
    international directories instead of showing an empty list.
    """

    country: str
    country_name: str
    topic: str
    emergency: tuple[Hotline, ...]
    lines: tuple[Hotline, ...]
    # Other topics with checked lines in this country, so that an honest
    # "nothing verified" answer can still point somewhere useful.
    other_topics: tuple[str, ...] = ()

    @property
    def country_has_lines(self) -> bool:
        return bool(self.emergency or self.lines or self.other_topics)

    @property
    def nothing_verified(self) -> bool:
        return self.topic != EMERGENCY and not self.lines

    @property
    def no_emergency_verified(self) -> bool:
        return not self.emergency


@dataclass(frozen=True, slots=True)
class CountrySuggestion:
    code: str
    name: str
    has_data: bool


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A short code as written in the file: digits, optionally grouped by spaces
# or hyphens (Trevor writes its text code "678-678"),
# with a leading * or # for the star/hash codes used in MX, CL and JP.
_SHORT_RE = re.compile(r"^[*#]?\d(?:[ \d-]*\d)?$")

_HOTLINE_KEYS = frozenset(
    {
        "id",
        "reference_id",
        "country",
        "region",
        "topics",
        "organisation",
        "service",
        "phone",
        "text",
        "chat_url",
        "website",
        "hours",
        "cost",
        "languages",
        "notes",
        "safety_notes",
        "source_note",
        "resolution",
        "sources",
        "citations",
        "checked",
    }
)
_PHONE_KEYS = frozenset(
    {"number", "label", "short", "short_code_unknown_to_libphonenumber", "marker_source"}
)
_TEXT_KEYS = frozenset({"number", "keyword", "label", "channel", "short"})
_DIRECTORY_KEYS = frozenset(
    {
        "id",
        "reference_id",
        "name",
        "description",
        "website",
        "source_note",
        "sources",
        "citations",
        "checked",
    }
)


def _str(raw: Mapping[str, Any], key: str, entry: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise DataError(entry, key, f"must be a string, got {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise DataError(entry, key, "is required and must not be empty")
    return value


def _str_list(raw: Mapping[str, Any], key: str, entry: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(entry, key, "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _bool(raw: Mapping[str, Any], key: str, entry: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise DataError(entry, key, "must be true or false")
    return value


def _https(url: str, entry: str, key: str) -> str:
    parts = urlsplit(url)
    # Only https: an http link can be rewritten on the way, and a survivor
    # should never be sent to a page that someone could tamper with.
    if parts.scheme != "https" or not parts.netloc or " " in url:
        raise DataError(entry, key, f"must be an https URL, got {url!r}")
    return url


def _check_keys(raw: Mapping[str, Any], allowed: frozenset[str], entry: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        # A misspelt key ("webiste") would otherwise silently drop data.
        raise DataError(entry, unknown[0], "unknown field")


def _country(raw: Mapping[str, Any], entry: str) -> str:
    code = _str(raw, "country", entry)
    if len(code) != 2 or not code.isalpha() or not code.isupper():
        raise DataError(
            entry, "country", f"must be an ISO 3166-1 alpha-2 code in capitals: {code!r}"
        )
    if pycountry.countries.get(alpha_2=code) is None:
        raise DataError(entry, "country", f"{code!r} is not an ISO 3166-1 country code")
    return code


def _checked(raw: Mapping[str, Any], entry: str, today: dt.date) -> dt.date:
    value = raw.get("checked")
    # TOML gives datetime for a date-time; only a plain date is meaningful here.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DataError(entry, "checked", "must be a date (YYYY-MM-DD)")
    if value > today:
        raise DataError(entry, "checked", f"{value.isoformat()} is in the future")
    return value


def _parse(number: str, region: str, entry: str, key: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as exc:
        raise DataError(entry, key, f"{number!r} does not parse for {region}: {exc}") from exc


def _validate_number(
    number: str,
    region: str,
    *,
    short: bool,
    unknown_to_lib: bool,
    entry: str,
    key: str,
) -> None:
    if short:
        if not _SHORT_RE.match(number):
            raise DataError(entry, key, f"short code {number!r} must be digits as dialled")
        if unknown_to_lib:
            # Explicitly marked: libphonenumber's metadata lags behind new
            # codes (DE 116 016, IN 14416, KR 109). The marker carries a source.
            return
        if number[0] in "*#":
            raise DataError(
                entry,
                key,
                f"{number!r}: star/hash codes are not in libphonenumber; "
                "mark short_code_unknown_to_libphonenumber with a marker_source",
            )
        parsed = _parse(number, region, entry, key)
        if not shortnumberinfo.is_valid_short_number_for_region(parsed, region):
            raise DataError(
                entry,
                key,
                f"{number!r} is not a valid short number for {region} in libphonenumber; "
                "if it is newer than the library, mark short_code_unknown_to_libphonenumber "
                "and give a marker_source",
            )
        return
    if unknown_to_lib:
        raise DataError(entry, key, "only short codes can be marked unknown to libphonenumber")
    if any(ch in number for ch in "*#"):
        raise DataError(entry, key, f"{number!r} looks like a short code: set short = true")
    parsed = _parse(number, region, entry, key)
    if not phonenumbers.is_valid_number_for_region(parsed, region):
        raise DataError(entry, key, f"{number!r} is not a valid phone number for {region}")


def _phone(raw: Any, region: str, entry: str, index: int) -> Phone:
    key = f"phone[{index}]"
    if not isinstance(raw, dict):
        raise DataError(entry, key, "must be a table")
    _check_keys(raw, _PHONE_KEYS, entry)
    number = _str(raw, "number", entry)
    short = _bool(raw, "short", entry)
    marked = _bool(raw, "short_code_unknown_to_libphonenumber", entry)
    marker_source = _str(raw, "marker_source", entry, required=marked)
    if marker_source and not marked:
        raise DataError(entry, f"{key}.marker_source", "only allowed on a marked short code")
    if marker_source.startswith("http"):
        _https(marker_source, entry, f"{key}.marker_source")
    _validate_number(number, region, short=short, unknown_to_lib=marked, entry=entry, key=key)
    return Phone(
        number=number,
        label=_str(raw, "label", entry, required=False),
        short=short,
        unknown_to_libphonenumber=marked,
        marker_source=marker_source,
    )


def _text(raw: Any, region: str, entry: str, index: int) -> TextLine:
    key = f"text[{index}]"
    if not isinstance(raw, dict):
        raise DataError(entry, key, "must be a table")
    _check_keys(raw, _TEXT_KEYS, entry)
    number = _str(raw, "number", entry)
    short = _bool(raw, "short", entry)
    _validate_number(number, region, short=short, unknown_to_lib=False, entry=entry, key=key)
    return TextLine(
        number=number,
        keyword=_str(raw, "keyword", entry, required=False),
        label=_str(raw, "label", entry, required=False),
        channel=_str(raw, "channel", entry, required=False) or "SMS",
        short=short,
    )


def _sources(raw: Mapping[str, Any], entry: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    sources = tuple(_https(u, entry, "sources") for u in _str_list(raw, "sources", entry))
    citations = _str_list(raw, "citations", entry)
    if not sources and not citations:
        raise DataError(entry, "sources", "every entry needs at least one source or citation")
    return sources, citations


def _hotline(raw: Any, today: dt.date, index: int) -> Hotline:
    if not isinstance(raw, dict):
        raise DataError(f"hotline[{index}]", "-", "must be a table")
    entry = raw.get("id") if isinstance(raw.get("id"), str) else f"hotline[{index}]"
    _check_keys(raw, _HOTLINE_KEYS, entry)
    entry_id = _str(raw, "id", entry)
    if not _ID_RE.match(entry_id):
        raise DataError(entry, "id", "must be lower-case letters, digits and hyphens")
    country = _country(raw, entry)
    topics = _str_list(raw, "topics", entry)
    if not topics:
        raise DataError(entry, "topics", "needs at least one topic")
    for topic in topics:
        if topic not in TOPICS:
            raise DataError(entry, "topics", f"unknown topic {topic!r}; use one of {TOPICS}")
    if len(set(topics)) != len(topics):
        raise DataError(entry, "topics", "lists a topic twice")
    phones_raw = raw.get("phone", [])
    texts_raw = raw.get("text", [])
    if not isinstance(phones_raw, list):
        raise DataError(entry, "phone", "must be an array of tables ([[hotline.phone]])")
    if not isinstance(texts_raw, list):
        raise DataError(entry, "text", "must be an array of tables ([[hotline.text]])")
    phones = tuple(_phone(p, country, entry, i) for i, p in enumerate(phones_raw))
    texts = tuple(_text(t, country, entry, i) for i, t in enumerate(texts_raw))
    chat_url = _str(raw, "chat_url", entry, required=False)
    website = _str(raw, "website", entry, required=False)
    if chat_url:
        _https(chat_url, entry, "chat_url")
    if website:
        _https(website, entry, "website")
    if not (phones or texts or chat_url or website):
        raise DataError(entry, "phone", "gives no way to reach the service")
    languages = _str_list(raw, "languages", entry)
    if not languages:
        raise DataError(entry, "languages", "needs at least one language")
    sources, citations = _sources(raw, entry)
    return Hotline(
        id=entry_id,
        reference_id=_str(raw, "reference_id", entry),
        country=country,
        region=_str(raw, "region", entry, required=False),
        topics=topics,
        organisation=_str(raw, "organisation", entry),
        service=_str(raw, "service", entry),
        phones=phones,
        texts=texts,
        chat_url=chat_url,
        website=website,
        hours=_str(raw, "hours", entry),
        cost=_str(raw, "cost", entry),
        languages=languages,
        notes=_str_list(raw, "notes", entry),
        safety_notes=_str_list(raw, "safety_notes", entry),
        source_note=_str(raw, "source_note", entry, required=False),
        resolution=_str(raw, "resolution", entry, required=False),
        sources=sources,
        citations=citations,
        checked=_checked(raw, entry, today),
    )


def _directory_link(raw: Any, today: dt.date, index: int) -> DirectoryLink:
    if not isinstance(raw, dict):
        raise DataError(f"directory[{index}]", "-", "must be a table")
    entry = raw.get("id") if isinstance(raw.get("id"), str) else f"directory[{index}]"
    _check_keys(raw, _DIRECTORY_KEYS, entry)
    entry_id = _str(raw, "id", entry)
    if not _ID_RE.match(entry_id):
        raise DataError(entry, "id", "must be lower-case letters, digits and hyphens")
    sources, citations = _sources(raw, entry)
    return DirectoryLink(
        id=entry_id,
        reference_id=_str(raw, "reference_id", entry),
        name=_str(raw, "name", entry),
        description=_str(raw, "description", entry),
        website=_https(_str(raw, "website", entry), entry, "website"),
        source_note=_str(raw, "source_note", entry, required=False),
        sources=sources,
        citations=citations,
        checked=_checked(raw, entry, today),
    )


# --------------------------------------------------------------------------
# The loaded directory
# --------------------------------------------------------------------------


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    # Clamp 31 March minus one month to the end of February.
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: day 28 exists in every month")


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise UnknownCountryError(code)
    # pycountry's official names read badly in a menu ("Korea, Republic of"):
    # prefer our display name, then pycountry's common name.
    return _DISPLAY_NAMES.get(country.alpha_2) or getattr(country, "common_name", country.name)


@dataclass(frozen=True)
class HotlineDirectory:
    hotlines: tuple[Hotline, ...]
    directories: tuple[DirectoryLink, ...]
    by_country: Mapping[str, tuple[Hotline, ...]] = field(repr=False)

    @classmethod
    def from_entries(
        cls, hotlines: Iterable[Hotline], directories: Iterable[DirectoryLink]
    ) -> HotlineDirectory:
        hotlines = tuple(hotlines)
        grouped: dict[str, list[Hotline]] = {}
        for hotline in hotlines:
            grouped.setdefault(hotline.country, []).append(hotline)
        return cls(
            hotlines=hotlines,
            directories=tuple(directories),
            by_country=MappingProxyType({k: tuple(v) for k, v in grouped.items()}),
        )

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries with at least one shipped entry, sorted by display name."""
        return tuple(sorted(self.by_country, key=country_name))

    def lookup(self, country: str, topic: str = DEFAULT_TOPIC) -> LookupResult:
        code = country.strip().upper()
        name = country_name(code)  # raises UnknownCountryError for non-ISO codes
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}")
        entries = self.by_country.get(code, ())
        emergency = tuple(e for e in entries if e.is_emergency)
        lines: tuple[Hotline, ...] = ()
        if topic != EMERGENCY:
            matching = [e for e in entries if topic in e.topics]
            # National lines first, then each region in file order: someone in
            # Scotland sees the UK-wide lines and the Scottish ones together.
            national = [e for e in matching if not e.region]
            regional = [e for e in matching if e.region]
            lines = tuple(national + regional)
        other_topics = tuple(
            t for t in TOPICS if t not in (topic, EMERGENCY) and any(t in e.topics for e in entries)
        )
        return LookupResult(
            country=code,
            country_name=name,
            topic=topic,
            emergency=emergency,
            lines=lines,
            other_topics=other_topics,
        )

    def stale_entries(self, today: dt.date, months: int = 12) -> tuple[Hotline, ...]:
        cutoff = _months_before(today, months)
        return tuple(e for e in self.hotlines if e.checked < cutoff)

    def marker_warnings(self) -> list[str]:
        """Markers libphonenumber no longer needs (it learned the code)."""
        warnings = []
        for entry in self.hotlines:
            for phone in entry.phones:
                if not phone.unknown_to_libphonenumber or phone.number[0] in "*#":
                    continue
                parsed = phonenumbers.parse(phone.number, entry.country)
                if shortnumberinfo.is_valid_short_number_for_region(parsed, entry.country):
                    warnings.append(
                        f"hotlines: {entry.id}: libphonenumber now knows {phone.number}; "
                        "remove short_code_unknown_to_libphonenumber"
                    )
        return warnings


def parse_directory(text: str, *, today: dt.date | None = None) -> HotlineDirectory:
    """Validate TOML text and build the directory. Raises DataError."""
    today = today or dt.date.today()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError("-", "-", f"not valid TOML: {exc}") from exc
    if data.get("schema") != SCHEMA_VERSION:
        raise DataError("-", "schema", f"must be {SCHEMA_VERSION}")
    unknown = sorted(set(data) - {"schema", "hotline", "directory"})
    if unknown:
        raise DataError("-", unknown[0], "unknown top-level key")
    raw_hotlines = data.get("hotline", [])
    raw_directories = data.get("directory", [])
    if not isinstance(raw_hotlines, list) or not isinstance(raw_directories, list):
        raise DataError("-", "hotline", "must be arrays of tables")
    hotlines = [_hotline(raw, today, i) for i, raw in enumerate(raw_hotlines)]
    directories = [_directory_link(raw, today, i) for i, raw in enumerate(raw_directories)]
    seen: set[str] = set()
    for entry_id in [h.id for h in hotlines] + [d.id for d in directories]:
        if entry_id in seen:
            raise DataError(entry_id, "id", "duplicate id")
        seen.add(entry_id)
    return HotlineDirectory.from_entries(hotlines, directories)


def load_directory(path: Path = DATA_PATH, *, today: dt.date | None = None) -> HotlineDirectory:
    return parse_directory(path.read_text(encoding="utf-8"), today=today)


@cache
def get_directory() -> HotlineDirectory:
    """The shipped directory, loaded and validated once per process."""
    return load_directory()


# --------------------------------------------------------------------------
# Country search (autocomplete) and resolution
# --------------------------------------------------------------------------

# pycountry's official names are awkward in a menu ("Korea, Republic of").
_DISPLAY_NAMES: dict[str, str] = {
    "GB": "United Kingdom",
    "US": "United States",
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VN": "Vietnam",
    "LA": "Laos",
    "MD": "Moldova",
    "TZ": "Tanzania",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TW": "Taiwan",
}

# Lower-case, accent-free aliases people type. Nations of the UK map to GB:
# the GB answer labels its England & Wales, Scotland and NI lines.
ALIASES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "cymru": "GB",
    "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "the us": "US",
    "the usa": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "korea": "KR",
    "republic of korea": "KR",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "brasil": "BR",
    "mexico": "MX",
    "belgique": "BE",
    "belgie": "BE",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "polska": "PL",
    "eire": "IE",
    "aotearoa": "NZ",
    "bharat": "IN",
    "nippon": "JP",
    "nihon": "JP",
    "czech republic": "CZ",
    "turkey": "TR",
    "ivory coast": "CI",
    "uae": "AE",
    "emirates": "AE",
    "schweiz": "CH",
    "suisse": "CH",
    "osterreich": "AT",
}

# Discord locale -> countries to offer first in the select menu. A language is
# not a location: these are only suggestions, the person picks.
_LOCALE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "en-US": ("US", "CA", "GB", "AU", "NZ", "IE", "IN", "PH", "SG", "ZA", "NG", "KE"),
    "en-GB": ("GB", "IE", "AU", "NZ", "CA", "US", "IN", "ZA", "NG", "KE", "SG", "PH"),
    "de": ("DE",),
    "fr": ("FR", "BE", "CA"),
    "nl": ("NL", "BE"),
    "it": ("IT",),
    "es-ES": ("ES", "MX", "AR", "CO", "CL"),
    "es-419": ("MX", "AR", "CO", "CL", "ES", "US"),
    "pt-BR": ("BR",),
    "sv-SE": ("SE", "FI"),
    "no": ("NO",),
    "da": ("DK",),
    "fi": ("FI",),
    "pl": ("PL",),
    "hi": ("IN",),
    "ja": ("JP",),
    "ko": ("KR",),
    "zh-CN": ("SG", "MY"),
    "id": ("MY", "SG"),
}


def _normalise(text: str) -> str:
    # Accent-free, lower-case, punctuation as spaces: "Côte d'Ivoire" and
    # "cote divoire", "U.K." and "uk" meet in the middle.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(text.split())


class CountryIndex:
    """Country search over ISO codes, names and aliases, built once."""

    def __init__(self, countries_with_data: Iterable[str]) -> None:
        self._with_data = frozenset(countries_with_data)
        self._names: dict[str, str] = {}
        # normalised key -> code; several keys per country
        self._keys: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            display = country_name(code)
            self._names[code] = display
            self._codes[code.casefold()] = code
            self._codes[country.alpha_3.casefold()] = code
            for name in {
                display,
                country.name,
                getattr(country, "common_name", ""),
                getattr(country, "official_name", ""),
            }:
                if name:
                    self._keys.setdefault(_normalise(name), code)
        for alias, code in ALIASES.items():
            self._keys[_normalise(alias)] = code
        self._key_list = list(self._keys)

    def name(self, code: str) -> str:
        return self._names[code]

    def has_data(self, code: str) -> bool:
        return code in self._with_data

    def _suggestion(self, code: str) -> CountrySuggestion:
        return CountrySuggestion(code, self._names[code], code in self._with_data)

    def exact(self, text: str) -> str | None:
        """The code for an exact ISO code, name or alias; None otherwise."""
        norm = _normalise(text)
        if not norm:
            return None
        # Aliases win over codes so that "us" and "uk" mean what people mean.
        if norm in self._keys:
            return self._keys[norm]
        return self._codes.get(norm.replace(" ", ""))

    def with_data(self, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
        codes = sorted(self._with_data, key=lambda c: self._names[c])
        return [self._suggestion(c) for c in codes[: max(0, min(limit, MAX_CHOICES))]]

    def suggest(self, text: str, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
        limit = max(0, min(limit, MAX_CHOICES))
        if limit == 0:
            return []
        # Autocomplete text is attacker-controlled; bound the work.
        norm = _normalise(text[:100])
        if not norm:
            return self.with_data(limit)
        scores: dict[str, float] = {}

        def offer(code: str, score: float) -> None:
            if score > scores.get(code, -1.0):
                scores[code] = score

        exact = self.exact(norm)
        if exact:
            offer(exact, 1000.0)
        if len(norm) <= 3 and norm.replace(" ", "") in self._codes:
            offer(self._codes[norm.replace(" ", "")], 900.0)
        for key, code in self._keys.items():
            # Among prefix matches, countries we have lines for come first:
            # they are the ones that give the person a number to call.
            bonus = 50.0 if code in self._with_data else 0.0
            if key.startswith(norm):
                offer(code, 500.0 + bonus - len(key) / 100)
            elif any(word.startswith(norm) for word in key.split()):
                offer(code, 400.0 + bonus - len(key) / 100)
        if len(norm) >= 3:
            for key, score, _ in process.extract(
                norm, self._key_list, scorer=fuzz.WRatio, limit=40, score_cutoff=70
            ):
                offer(self._keys[key], float(score))
        ranked = sorted(
            scores.items(),
            key=lambda item: (-item[1], item[0] not in self._with_data, self._names[item[0]]),
        )
        return [self._suggestion(code) for code, _ in ranked[:limit]]


@cache
def get_country_index() -> CountryIndex:
    return CountryIndex(get_directory().by_country)


def suggest_countries(text: str, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
    """Autocomplete choices for a country option; never more than 25."""
    return list(_suggestions(text[:100], limit))


@lru_cache(maxsize=4096)
def _suggestions(text: str, limit: int) -> tuple[CountrySuggestion, ...]:
    # Autocomplete asks again at every keystroke, and people type the same few
    # prefixes; the index never changes while the bot runs, so remember answers.
    return tuple(get_country_index().suggest(text, limit))


def _valid_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    return None


def resolve_country(
    option: str | None,
    community_country: str | None,
    default_country: str | None,
) -> str | None:
    """SPEC section 2: the option, else the community's country, else the
    operator's DEFAULT_COUNTRY, else None. Never guesses (a Discord language
    setting is not a location).

    An option that names no country raises UnknownCountryError rather than
    silently falling back: the person asked about a place, and answering for
    another one would mislead them.
    """
    if option is not None and option.strip():
        code = get_country_index().exact(option)
        if code is None:
            raise UnknownCountryError(option)
        return code
    return _valid_code(community_country) or _valid_code(default_country)


def locale_suggestions(locale: str | None) -> tuple[str, ...]:
    """Country codes to offer first for a Discord locale. Never picks one."""
    if not locale:
        return ()
    with_data = get_directory().by_country
    codes = _LOCALE_COUNTRIES.get(locale) or _LOCALE_COUNTRIES.get(locale.split("-")[0], ())
    return tuple(c for c in codes if c in with_data)


def country_menu(locale: str | None, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
    """Options for the country select menu: locale suggestions first, then the
    other countries with data by name, at most 25."""
    index = get_country_index()
    limit = max(0, min(limit, MAX_CHOICES))
    first = list(locale_suggestions(locale))
    others = sorted((c for c in get_directory().by_country if c not in first), key=index.name)
    return [CountrySuggestion(c, index.name(c), True) for c in (first + others)[:limit]]


def lookup(country: str, topic: str = DEFAULT_TOPIC) -> LookupResult:
    return get_directory().lookup(country, topic)


def stale_entries(today: dt.date, months: int = 12) -> tuple[Hotline, ...]:
    return get_directory().stale_entries(today, months)


def international_directories() -> tuple[DirectoryLink, ...]:
    return get_directory().directories


def check(today: dt.date | None = None) -> list[str]:
    """For ``python -m bot check``: raises DataError if the file is invalid,
    returns warning lines (entries not re-checked for 12 months, stale markers).
    """
    today = today or dt.date.today()
    directory = load_directory(today=today)
    warnings = [
        f"hotlines: {e.id} ({e.country}) was last checked {e.checked.isoformat()}, "
        "more than 12 months ago: re-check it against its sources"
        for e in directory.stale_entries(today, 12)
    ]
    warnings.extend(directory.marker_warnings())
    return warnings


__all__: Sequence[str] = (
    "ALIASES",
    "DATA_PATH",
    "DEFAULT_TOPIC",
    "EMERGENCY",
    "MAX_CHOICES",
    "TOPICS",
    "CountryIndex",
    "CountrySuggestion",
    "DataError",
    "DirectoryLink",
    "Hotline",
    "HotlineDirectory",
    "LookupResult",
    "Phone",
    "TextLine",
    "UnknownCountryError",
    "check",
    "country_menu",
    "country_name",
    "get_country_index",
    "get_directory",
    "international_directories",
    "load_directory",
    "locale_suggestions",
    "lookup",
    "parse_directory",
    "resolve_country",
    "stale_entries",
    "suggest_countries",
)
