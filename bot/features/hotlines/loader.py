"""Reading the hotline data file: parse, validate, and hold the shipped directory.

Pure: no discord import. The rules it enforces, so that no wrong number ships:

* every phone number parses and is valid for its country (libphonenumber), and
  is written the bot's one way (digit groups and single spaces);
* short codes (988, 116 123, 016...) are checked against libphonenumber's
  short-number data and are kept exactly as dialled;
* a short code libphonenumber does not know yet must say so explicitly
  (``short_code_unknown_to_libphonenumber``) and name its source;
* every URL is https, every country a real ISO 3166-1 code, ids are unique and
  no entry claims to have been checked in the future;
* a translation (`[hotline.translations.<locale>]`, or a phrase of
  `[phrases.<locale>]` used wherever a field's English is that phrase) gives only
  the prose (the service's heading, region, hours, cost, languages, notes,
  number labels, a directory's description), in a known language, with exactly
  the English's numbers, URLs and placeholders, no mention, and within the
  English field's length limit.

`check()` is what `python -m bot check` runs (DATA_CHECKS in bot/__main__.py), and
`links()` what `check --online` fetches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import phonenumbers
import pycountry
from phonenumbers import shortnumberinfo

from bot.features.hotlines.directory import (
    DESCRIPTION_MAX,
    LIST_FIELDS,
    TRANSLATED_FIELDS,
    WRITTEN_NUMBER,
    DirectoryLink,
    Hotline,
    HotlineDirectory,
    Phone,
    TextLine,
    label_key,
    shown_source,
)
from bot.features.hotlines.topics import TOPICS
from bot.kit.content import (
    CONTENT_LOCALES,
    Translations,
    coverage,
    item_key,
    translation_problems,
    unknown_locale_problem,
)
from bot.kit.countries import country_name
from bot.kit.links import Link

DATA_PATH = Path(__file__).resolve().parent / "data" / "hotlines.toml"
SCHEMA_VERSION = 1
# An entry not re-checked against its sources for this long is named by
# `python -m bot check`: services change their numbers and hours.
RECHECK_MONTHS = 6


class DataError(ValueError):
    """The directory file is invalid. The message names the entry and the field."""

    def __init__(self, entry: str, field_name: str, problem: str) -> None:
        self.entry = entry
        self.field = field_name
        self.problem = problem
        super().__init__(f"hotlines: entry {entry!r}, field {field_name!r}: {problem}")


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SHORT_RE = re.compile(r"^[*#]?\d+(?: \d+)*$")

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
        "translations",
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
        "translations",
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
    if not WRITTEN_NUMBER.match(number):
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
    hotline = Hotline(
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
    english = hotline.prose()
    _check_english_lengths(entry, english)
    translations = _translations(raw.get("translations"), entry, english, TRANSLATED_FIELDS)
    return dataclasses.replace(hotline, translations=translations)


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
    link = DirectoryLink(
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
    english = link.prose()
    _check_english_lengths(entry, english)
    translations = _translations(raw.get("translations"), entry, english, ["description"])
    return dataclasses.replace(link, translations=translations)


# --------------------------------------------------------------------------
# Translations
# --------------------------------------------------------------------------


def _limit(key: str) -> int:
    """The length limit of the field a `prose()` key belongs to."""
    if key == "description":
        return DESCRIPTION_MAX
    if key.startswith("label:"):
        return TRANSLATED_FIELDS["labels"]
    return TRANSLATED_FIELDS[key.split(".")[0]]


def _check_english_lengths(entry: str, english: Mapping[str, str]) -> None:
    for key, text in english.items():
        if len(text) > _limit(key):
            raise DataError(entry, key, f"is {len(text)} characters (at most {_limit(key)})")


def _checked_translation(entry: str, where: str, english: str, text: object, limit: int) -> str:
    if not isinstance(text, str) or not text.strip():
        raise DataError(entry, where, "must be a non-empty string")
    problems = translation_problems(english, text.strip(), limit=limit)
    if problems:
        raise DataError(entry, where, "; ".join(problems))
    return text.strip()


def _translated_items(
    entry: str, where: str, key: str, value: object, english: Mapping[str, str]
) -> Iterable[tuple[str, object]]:
    """The (prose key, text) pairs one field of a translation gives."""
    if key in LIST_FIELDS:
        count = sum(1 for k in english if k.startswith(f"{key}."))
        if not isinstance(value, list) or len(value) != count:
            raise DataError(entry, where, f"must be a list of {count} texts, one for each of "
                            f"the English {key}, in the same order")
        return [(item_key(key, i), text) for i, text in enumerate(value)]
    if key == "labels":
        if not isinstance(value, dict):
            raise DataError(entry, where, "must be a table of English label = translation")
        return [(label_key(label), text) for label, text in value.items()]
    return [(key, value)]


def _translations(
    raw: object, entry: str, english: Mapping[str, str], fields: Iterable[str]
) -> Translations:
    """An entry's `translations` table, flattened to prose keys (`Hotline.prose`)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError(entry, "translations", "must be a table of languages")
    allowed = set(fields)
    found: dict[str, dict[str, str]] = {}
    for locale, table in raw.items():
        if (problem := unknown_locale_problem(locale)) is not None:
            raise DataError(entry, "translations", problem)
        if not isinstance(table, dict):
            raise DataError(entry, f"translations.{locale}", "must be a table of fields")
        texts: dict[str, str] = {}
        for key, value in table.items():
            where = f"translations.{locale}.{key}"
            if key not in allowed:
                raise DataError(entry, where, "is not a translated field (those are: "
                                f"{', '.join(sorted(allowed))})")
            for prose_key, text in _translated_items(entry, where, key, value, english):
                if prose_key not in english:
                    raise DataError(entry, where, f"translates {prose_key!r}, which the "
                                    "entry does not have in English")
                texts[prose_key] = _checked_translation(entry, where, english[prose_key], text,
                                                        _limit(prose_key))
        found[locale] = texts
    return found


def _phrases(raw: object) -> dict[str, dict[str, str]]:
    """`[phrases.<locale>]`: English = translation, for short prose many entries
    share ("Free", "24/7", "police", language names)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError("phrases", "-", "must be a table of languages")
    found: dict[str, dict[str, str]] = {}
    for locale, table in raw.items():
        if (problem := unknown_locale_problem(locale)) is not None:
            raise DataError("phrases", locale, problem)
        if not isinstance(table, dict):
            raise DataError("phrases", locale, "must be a table of English = translation")
        found[locale] = {
            english: _checked_translation("phrases", f"{locale}: {english}", english, text,
                                          max(TRANSLATED_FIELDS.values()))
            for english, text in table.items()
        }
    return found


_Entry = TypeVar("_Entry", Hotline, DirectoryLink)


def _with_phrases(entry: _Entry, phrases: Mapping[str, Mapping[str, str]],
                  used: set[tuple[str, str]]) -> _Entry:
    """`entry` with the phrases for each prose field its own translation leaves out."""
    merged: dict[str, dict[str, str]] = {k: dict(v) for k, v in entry.translations.items()}
    for locale, table in phrases.items():
        for key, english in entry.prose().items():
            phrase = table.get(english)
            if phrase is None:
                continue
            used.add((locale, english))
            if key in merged.get(locale, {}):
                continue
            if len(phrase) > _limit(key):
                raise DataError(entry.id, key, f"the {locale} phrase for {english!r} is "
                                f"{len(phrase)} characters (at most {_limit(key)})")
            merged.setdefault(locale, {})[key] = phrase
    return dataclasses.replace(entry, translations=merged)


def _apply_phrases(
    hotlines: list[Hotline], directories: list[DirectoryLink],
    phrases: Mapping[str, Mapping[str, str]],
) -> tuple[list[Hotline], list[DirectoryLink]]:
    used: set[tuple[str, str]] = set()
    with_hotlines = [_with_phrases(h, phrases, used) for h in hotlines]
    with_directories = [_with_phrases(d, phrases, used) for d in directories]
    for locale, table in phrases.items():
        for english in table:
            if (locale, english) not in used:
                raise DataError("phrases", f"{locale}: {english}",
                                "is the English of no field (a typo?)")
    return with_hotlines, with_directories


def translation_coverage(directory: HotlineDirectory) -> list[str]:
    """How much of the directory each language has, one line a language:
    "es-ES 120/284" (entries whose every prose field is translated, counting a
    language's fallback, es-419 -> es-ES)."""
    entries = [(e.prose(), e.translations) for e in directory.hotlines]
    entries += [(d.prose(), d.translations) for d in directory.directories]
    lines = []
    for locale in CONTENT_LOCALES:
        done, total = coverage(entries, locale)
        lines.append(f"{locale} {done}/{total}")
    return lines


# --------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------


def parse_directory(text: str, *, today: dt.date | None = None) -> HotlineDirectory:
    """Validate TOML text and build the directory. Raises DataError."""
    today = today or dt.date.today()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError("-", "-", f"not valid TOML: {exc}") from exc
    if data.get("schema") != SCHEMA_VERSION:
        raise DataError("-", "schema", f"must be {SCHEMA_VERSION}")
    unknown = sorted(set(data) - {"schema", "hotline", "directory", "phrases"})
    if unknown:
        raise DataError("-", unknown[0], "unknown top-level key")
    raw_hotlines = data.get("hotline", [])
    raw_directories = data.get("directory", [])
    if not isinstance(raw_hotlines, list) or not isinstance(raw_directories, list):
        raise DataError("-", "hotline", "must be arrays of tables")
    hotlines = [_hotline(raw, today, i) for i, raw in enumerate(raw_hotlines)]
    directories = [_directory_link(raw, today, i) for i, raw in enumerate(raw_directories)]
    hotlines, directories = _apply_phrases(hotlines, directories, _phrases(data.get("phrases")))
    seen: set[str] = set()
    for entry_id in [h.id for h in hotlines] + [d.id for d in directories]:
        if entry_id in seen:
            raise DataError(entry_id, "id", "duplicate id")
        seen.add(entry_id)
    return HotlineDirectory.from_entries(hotlines, directories)


def load_directory(path: Path | None = None, *, today: dt.date | None = None) -> HotlineDirectory:
    """The directory in `path` (by default the shipped file, DATA_PATH)."""
    path = path or DATA_PATH
    return parse_directory(path.read_text(encoding="utf-8"), today=today)


@cache
def get_directory() -> HotlineDirectory:
    """The shipped directory, loaded and validated once per process."""
    return load_directory()


def marker_warnings(directory: HotlineDirectory) -> list[str]:
    """Markers libphonenumber no longer needs (it learned the code)."""
    warnings = []
    for entry in directory.hotlines:
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


def due_for_recheck(directory: HotlineDirectory, today: dt.date) -> list[str]:
    """The entries last checked more than RECHECK_MONTHS before `today`, one
    line per country (and one for the international directories), naming each
    entry: what the operator should have re-checked against its sources."""
    due: dict[str, list[tuple[str, dt.date]]] = {}
    for entry in directory.stale_entries(today, RECHECK_MONTHS):
        due.setdefault(entry.country, []).append((entry.id, entry.checked))
    for link in directory.stale_directories(today, RECHECK_MONTHS):
        due.setdefault("", []).append((link.id, link.checked))
    lines = []
    for country, entries in sorted(due.items()):
        where = f"{country_name(country)} ({country})" if country else "international directories"
        oldest = min(checked for _, checked in entries).isoformat()
        ids = ", ".join(entry_id for entry_id, _ in entries)
        lines.append(
            f"hotlines: {where}: not checked for more than {RECHECK_MONTHS} months (oldest "
            f"check {oldest}): re-check {ids} against their sources"
        )
    return lines


def translation_summary() -> str:
    """`python -m bot check`'s line on translations: "es-ES 120/284, ..."."""
    return ", ".join(translation_coverage(get_directory()))


def check(today: dt.date | None = None) -> list[str]:
    """For ``python -m bot check``: raises DataError if the file is invalid,
    returns the notes for its maintainers (markers libphonenumber no longer
    needs)."""
    return marker_warnings(load_directory(today=today or dt.date.today()))


def recheck(today: dt.date | None = None) -> list[str]:
    """For ``python -m bot check`` (shown without --content): the entries the
    operator should have re-checked (`due_for_recheck`)."""
    today = today or dt.date.today()
    return due_for_recheck(load_directory(today=today), today)


def number_digits(number: str, country: str, short: bool) -> str:
    """The digits a page that publishes `number` contains, however it groups them:
    a short code as it is; any other number without its trunk prefix or country
    code (its national significant number: "0808 802 9999" and "+44 808 802 9999"
    both contain 8088029999)."""
    if not short:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else country)
        return phonenumbers.national_significant_number(parsed)
    return re.sub(r"\D", "", number)


def links() -> list[Link]:
    """Every web link of the directory, for ``python -m bot check --online``: an
    entry's website, chat and sources (its numbers should be on the website and
    the sources), a directory's website and sources. Those an answer shows (the
    website, the chat, the source shown) are marked `shown`."""
    directory = get_directory()
    found: list[Link] = []
    for entry in directory.hotlines:
        lines: list[Phone | TextLine] = [*entry.phones, *entry.texts]
        digits = tuple(dict.fromkeys(number_digits(line.number, entry.country, line.short)
                                     for line in lines))
        shown = shown_source(entry).url
        where = f"hotline {entry.id}"
        if entry.website:
            found.append(Link(entry.website, f"{where} website", digits, shown=True))
        if entry.chat_url:
            found.append(Link(entry.chat_url, f"{where} chat", shown=True))
        found.extend(Link(url, f"{where} source", digits, shown=url == shown)
                     for url in entry.sources)
    for link in directory.directories:
        found.append(Link(link.website, f"directory {link.id} website", shown=True))
        found.extend(Link(url, f"directory {link.id} source") for url in link.sources)
    return found
