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

from bot.kit.countries import (
    ALIASES,
    MAX_CHOICES,
    CountryIndex,
    CountrySuggestion,
    UnknownCountryError,
    country_in_text,
    country_name,
)

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
# The international directory every answer without a local number points to.
FINDAHELPLINE_URL = "https://findahelpline.com"
EMERGENCY = "emergency"

SCHEMA_VERSION = 1


class DataError(ValueError):
    """The directory file is invalid. The message names the entry and the field."""

    def __init__(self, entry: str, field_name: str, problem: str) -> None:
        self.entry = entry
        self.field = field_name
        self.problem = problem
        super().__init__(f"hotlines: entry {entry!r}, field {field_name!r}: {problem}")


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
    def country_text(self) -> str:
        """The country's name inside a sentence ("the United Kingdom")."""
        return country_in_text(self.country)

    @property
    def country_has_lines(self) -> bool:
        return bool(self.emergency or self.lines or self.other_topics)

    @property
    def nothing_verified(self) -> bool:
        return self.topic != EMERGENCY and not self.lines

    @property
    def no_emergency_verified(self) -> bool:
        return not self.emergency


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# One way to write a phone number everywhere (issue 10, point 9): digits in the
# groups the service publishes, separated by single spaces; no hyphens, dots or
# brackets. A star or hash code keeps its leading * or #; only text routes the
# service gives in international form start with +.
_WRITTEN_RE = re.compile(r"^(?:\+|[*#])?\d+(?: \d+)*$")
_SHORT_RE = re.compile(r"^[*#]?\d+(?: \d+)*$")


def written_number(number: str) -> str:
    """A phone number written the bot's one way: "+1 800-656-4673" and
    "(011) 5275-1135" become "+1 800 656 4673" and "011 5275 1135"."""
    spaced = re.sub(r"[\s().\-/]+", " ", number).strip()
    return spaced


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
    if not _WRITTEN_RE.match(number):
        raise DataError(
            entry, key, f"{number!r}: write digits in groups separated by single spaces"
        )
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
    given = raw.get("id")
    entry = given if isinstance(given, str) else f"hotline[{index}]"
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
    given = raw.get("id")
    entry = given if isinstance(given, str) else f"directory[{index}]"
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
# Which source a person sees (corrections of 2026-11-30, item 9)
# --------------------------------------------------------------------------

# Pages that are a citation for the file, never the link shown when a better
# one exists: aggregators, mirrors, other people's lists, blogs, and one
# directory found to give wrong numbers (progress.guide).
_SECONDARY_HOSTS = (
    "docslib.org",
    "livenews.one",
    "yumpu.com",
    "issuu.com",
    "github.com",
    "wikipedia.org",
    "qwe.wiki",
    "progress.guide",
    "pages.dev",
    "blogspot.com",
    "ghanamma.com",
    "penniesforpoverty.org",
)
# Host labels of government sites: gov.uk, gob.mx, gouv.fr, govt.nz, go.jp...
_OFFICIAL_LABELS = frozenset({"gov", "gob", "gouv", "govt", "go", "gv", "lg", "gc", "nic"})
_OFFICIAL_SUFFIXES = ("europa.eu", "admin.ch", "police.uk", "nhs.uk", "gov.wales", "canada.ca")
_HOST_IN_TEXT = re.compile(r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b", re.IGNORECASE)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _under(host: str, domain: str) -> bool:
    return bool(domain) and (host == domain or host.endswith("." + domain))


def _secondary(url_or_host: str) -> bool:
    host = _host(url_or_host) if "://" in url_or_host else url_or_host.lower()
    path = urlsplit(url_or_host).path.lower() if "://" in url_or_host else ""
    return (
        any(_under(host, h) for h in _SECONDARY_HOSTS)
        or host.endswith(".wiki")
        or "blog" in host.split(".")[0]
        or "/blog" in path
    )


def _official(url: str, entry: Hotline) -> bool:
    host = _host(url)
    own = _host(entry.website) if entry.website else ""
    return (
        _under(host, own)
        or any(label in _OFFICIAL_LABELS for label in host.split(".")[:-1])
        or any(_under(host, suffix) for suffix in _OFFICIAL_SUFFIXES)
    )


def source_rank(url: str, entry: Hotline) -> int:
    """0 the organisation's own or a government page, 1 other pages (news),
    2 aggregators, lists and blogs."""
    if _official(url, entry):
        return 0
    return 2 if _secondary(url) else 1


@dataclass(frozen=True, slots=True)
class ShownSource:
    """What an answer says about where a line's details come from: the best
    https page as a link, or (for entries checked only against pages with no
    https address) the names of the sites, never an internal note."""

    url: str = ""
    more: int = 0
    sites: tuple[str, ...] = ()


def shown_source(entry: Hotline) -> ShownSource:
    if entry.sources:
        ranked = sorted(entry.sources, key=lambda u: source_rank(u, entry))
        return ShownSource(url=ranked[0], more=len(ranked) - 1)
    sites: list[str] = []
    for citation in entry.citations:
        for host in _HOST_IN_TEXT.findall(citation):
            host = host.lower().removeprefix("www.")
            if not _secondary(host) and host not in sites:
                sites.append(host)
    # Government sites first: "gov.br, em.com.br", not the other way round.
    sites.sort(key=lambda h: not any(label in _OFFICIAL_LABELS for label in h.split(".")[:-1]))
    return ShownSource(sites=tuple(sites[:3]))


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

# Discord locale -> countries to offer first in the select menu. A language is
# not a location: these are only suggestions, the person picks.
_LOCALE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "en-US": ("US", "CA", "GB", "AU", "NZ", "IE", "IN", "PH", "SG", "ZA", "NG", "KE"),
    "en-GB": ("GB", "IE", "AU", "NZ", "CA", "US", "IN", "ZA", "NG", "KE", "SG", "PH"),
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CA", "CH", "LU"),
    "nl": ("NL", "BE"),
    "it": ("IT", "CH"),
    "es-ES": ("ES", "MX", "AR", "CO", "CL", "PE"),
    "es-419": ("MX", "AR", "CO", "CL", "ES", "US", "PE"),
    "pt-BR": ("BR", "PT"),
    "sv-SE": ("SE", "FI"),
    "no": ("NO",),
    "da": ("DK",),
    "fi": ("FI",),
    "pl": ("PL",),
    "hi": ("IN",),
    "ja": ("JP",),
    "ko": ("KR",),
    "zh-CN": ("CN", "SG", "MY"),
    "zh-TW": ("TW", "HK"),
    "id": ("ID", "MY", "SG"),
    # Issue 14: the menu holds 25 of the 63 countries; a language spoken
    # mainly in one of them puts that country first.
    "bg": ("BG",),
    "cs": ("CZ", "SK"),
    "el": ("GR",),
    "hr": ("HR",),
    "hu": ("HU",),
    "lt": ("LT",),
    "ro": ("RO",),
    "ru": ("RU",),
    "th": ("TH",),
    "tr": ("TR",),
    "uk": ("UA",),
    "vi": ("VN",),
}


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


def find_country(text: str) -> str | None:
    """The country a person named exactly (code, name, alias or flag), else
    None. The one resolver of /hotline, /resources and /config country."""
    return get_country_index().exact(text)


def resolve_country(
    option: str | None,
    community_country: str | None,
    default_country: str | None,
) -> str | None:
    """The country of an answer (`CountryIndex.resolve`, over the shipped directory)."""
    return get_country_index().resolve(option, community_country, default_country)


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


@dataclass(frozen=True, slots=True)
class Coverage:
    """What members of a community set to `country` will get from the bot."""

    country: str
    emergency: bool
    topics: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def has_lines(self) -> bool:
        return bool(self.topics)


def coverage(country: str) -> Coverage:
    """The checked lines a country has, by topic, and its emergency number."""
    entries = get_directory().by_country.get(country.strip().upper(), ())
    topics = tuple(t for t in TOPICS if t != EMERGENCY and any(t in e.topics for e in entries))
    return Coverage(
        country=country,
        emergency=any(e.is_emergency for e in entries),
        topics=topics,
        missing=tuple(t for t in TOPICS if t != EMERGENCY and t not in topics),
    )


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
    "FINDAHELPLINE_URL",
    "MAX_CHOICES",
    "TOPICS",
    "CountryIndex",
    "CountrySuggestion",
    "Coverage",
    "DataError",
    "DirectoryLink",
    "Hotline",
    "HotlineDirectory",
    "LookupResult",
    "Phone",
    "ShownSource",
    "TextLine",
    "UnknownCountryError",
    "check",
    "country_in_text",
    "country_menu",
    "country_name",
    "coverage",
    "find_country",
    "get_country_index",
    "get_directory",
    "international_directories",
    "load_directory",
    "locale_suggestions",
    "lookup",
    "parse_directory",
    "resolve_country",
    "shown_source",
    "source_rank",
    "stale_entries",
    "suggest_countries",
    "written_number",
)
