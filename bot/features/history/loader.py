"""The history data: read data/history.toml, validate every entry, and check it.

Pure: no discord import. `parse` and `load` build a `model.History` or raise
`DataError` listing every problem at once; `check` is what `python -m bot check`
runs on the shipped file. Problems and warnings are for whoever edits the data
(the console, in English), never shown to a member.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

import bot.features.history.render as render
from bot.features.history.model import Event, History, Overview, Precision, Topic
from bot.i18n.translator import SOURCE_LOCALE, Tr, Translator
from bot.kit.cards import Limits
from bot.kit.content import (
    CONTENT_LOCALES,
    NO_TRANSLATIONS,
    Translations,
    coverage,
    translation_problems,
    unknown_locale_problem,
)
from bot.kit.links import Link

DATA_PATH: Final = Path(__file__).resolve().parent / "data" / "history.toml"


class DataError(ValueError):
    """The history data is invalid; `problems` lists every problem found, one a line."""

    def __init__(self, problems: Sequence[str], source: str = "history data") -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''}:\n{lines}")


_DATE_PATTERNS: Final = {
    Precision.YEAR: re.compile(r"\d{4}"),
    Precision.MONTH: re.compile(r"\d{4}-\d{2}"),
    Precision.DAY: re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def _parse_date(raw: object, precision: Precision) -> date:
    """Parse `raw` at exactly `precision`; ValueError with a readable reason otherwise."""
    if not isinstance(raw, str):
        raise ValueError(f"must be a string like 2017-10-15, not {type(raw).__name__}")
    if not _DATE_PATTERNS[precision].fullmatch(raw):
        shapes = {Precision.YEAR: "YYYY", Precision.MONTH: "YYYY-MM", Precision.DAY: "YYYY-MM-DD"}
        raise ValueError(f"{raw!r} does not match precision {precision} ({shapes[precision]})")
    parts = [int(p) for p in raw.split("-")]
    while len(parts) < 3:
        parts.append(1)
    try:
        return date(*parts)
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a real date ({exc})") from None


# --------------------------------------------------------------------------- loading

_EVENT_KEYS: Final = {
    "id",
    "date",
    "end",
    "precision",
    "approximate",
    "category",
    "title",
    "summary",
    "country",
    "people",
    "sources",
    "confidence",
    "as_of",
    "translations",
}
_TOPIC_KEYS: Final = {
    "id", "name", "aliases", "people", "text", "events", "sources", "translations"
}
_OVERVIEW_KEYS: Final = {"text", "events", "sources", "translations"}
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
# Ids are packed into button custom ids, hence the short, plain alphabet above.
TITLE_MAX: Final = 200
# `python -m bot check` warns when an outcome's "as of" month is older than this.
AS_OF_MONTHS: Final = 12
SUMMARY_MAX: Final = 700
CATEGORY_MAX: Final = Limits.CHOICE_NAME
# The fields a translation may give (the prose; names, dates, people and sources
# are the same in every language), each within the English field's limit.
EVENT_TRANSLATED: Final = {"title": TITLE_MAX, "summary": SUMMARY_MAX}
TOPIC_TRANSLATED: Final = {"name": Limits.CHOICE_NAME, "text": Limits.EMBED_DESCRIPTION}
OVERVIEW_TRANSLATED: Final = {"text": Limits.EMBED_DESCRIPTION}


def _https_problem(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return "a source must be a non-empty string"
    if any(ch.isspace() for ch in url):
        return f"source {url!r} contains whitespace"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"source {url!r} is not https"
    if not parts.hostname or "." not in parts.hostname:
        return f"source {url!r} has no valid host"
    return None


class _Collector:
    """Gathers every problem so an editor sees them all at once, not one per run."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, where: str, table: Mapping[str, Any], key: str, *, limit: int) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.add(where, f"`{key}` must be a non-empty string")
            return ""
        if len(value) > limit:
            self.add(where, f"`{key}` is {len(value)} characters (at most {limit})")
        return value.strip()

    def strings(self, where: str, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.add(where, f"`{key}` must be a list of non-empty strings")
            return ()
        return tuple(value)

    def sources(self, where: str, table: Mapping[str, Any]) -> tuple[str, ...]:
        urls = self.strings(where, table, "sources")
        if not urls and isinstance(table.get("sources", []), list):
            self.add(where, "needs at least one https source")
        for url in urls:
            if (problem := _https_problem(url)) is not None:
                self.add(where, problem)
        if len(set(urls)) != len(urls):
            self.add(where, "lists the same source twice")
        return urls

    def translations(
        self, where: str, raw: object, english: Mapping[str, str], limits: Mapping[str, int]
    ) -> Translations:
        """An entry's `translations` table ({locale: {field: text}}), each text
        checked against its English (bot.kit.content.translation_problems)."""
        if raw is None:
            return NO_TRANSLATIONS
        if not isinstance(raw, dict):
            self.add(where, "`translations` must be a table of languages")
            return NO_TRANSLATIONS
        found: dict[str, Mapping[str, str]] = {}
        for locale, fields in raw.items():
            if (problem := unknown_locale_problem(locale)) is not None:
                self.add(where, f"translations: {problem}")
                continue
            here = f"{where} ({locale})"
            if not isinstance(fields, dict):
                self.add(here, "must be a table of translated fields")
                continue
            texts: dict[str, str] = {}
            for key, value in fields.items():
                if key not in limits:
                    known = ", ".join(limits)
                    self.add(here, f"`{key}` is not a translated field (those are: {known})")
                elif not isinstance(value, str) or not value.strip():
                    self.add(here, f"`{key}` must be a non-empty string")
                else:
                    for problem in translation_problems(english.get(key, ""), value.strip(),
                                                        limit=limits[key]):
                        self.add(here, f"`{key}` {problem}")
                    texts[key] = value.strip()
            found[locale] = MappingProxyType(texts)
        return MappingProxyType(found)


def parse(
    document: str,
    *,
    source: str = "history data",
    today: date | None = None,
    translator: Translator | None = None,
) -> History:
    """Build a validated `History` from TOML text; raises DataError listing every problem.

    With `today`, an event dated after it is an error too (a typo such as 2071 for 2017).
    Every answer must fit Discord's limits in every language of `translator` (by
    default the source language alone): one that does not fit could not be shown at
    all, so it is a data error too.
    """
    try:
        raw = tomllib.loads(document)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"not valid TOML: {exc}"], source) from None
    history = _build(raw, source, today)
    for tr in _readers(translator or Translator()):
        if found := render.layout_problems(tr, history):
            where = "" if tr.locale == SOURCE_LOCALE else f"in {tr.locale}: "
            raise DataError([where + problem for problem in found], source)
    return history


def _readers(translator: Translator) -> Iterable[Tr]:
    """The texts of every language `translator` has, and of every language the
    data may be translated into, the source language first."""
    yield translator.for_locale(SOURCE_LOCALE)
    for locale in sorted({*translator.locales, *CONTENT_LOCALES} - {SOURCE_LOCALE}):
        # A reader of `locale` sees its data translations even where the words
        # around them are still English.
        yield dataclasses.replace(translator.for_locale(locale), locale=locale)


def load(
    path: Path | str = DATA_PATH,
    *,
    today: date | None = None,
    translator: Translator | None = None,
) -> History:
    path = Path(path)
    try:
        document = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError([f"cannot read {path}: {exc.strerror or exc}"], str(path)) from None
    return parse(document, source=str(path), today=today, translator=translator)


def _build(raw: Mapping[str, Any], source: str, today: date | None) -> History:
    c = _Collector()

    categories_raw = raw.get("categories")
    categories: dict[str, str] = {}
    if not isinstance(categories_raw, dict) or not categories_raw:
        c.add("[categories]", "must be a table of id = label")
    else:
        for key, label in categories_raw.items():
            if not _ID.fullmatch(key) or not isinstance(label, str) or not label.strip():
                c.add("[categories]", f"{key!r} needs a short id and a non-empty label")
            elif len(label.strip()) > CATEGORY_MAX:
                c.add("[categories]", f"{key!r} is longer than {CATEGORY_MAX} characters")
            else:
                categories[key] = label.strip()
    # [category_translations.<locale>]: id = label, like [categories].
    category_translations = c.translations(
        "[category_translations]", raw.get("category_translations"), categories,
        dict.fromkeys(categories, CATEGORY_MAX))

    meta = raw.get("meta", {})
    if isinstance(meta, dict) and "legal_as_of" in meta:
        # One date for every outcome read as a contradiction next to later
        # events (corrections of 2026-11-30): each outcome carries its own.
        c.add("[meta]", "`legal_as_of` is gone: give each outcome event its own `as_of`")

    events = _build_events(raw.get("events"), categories, c, today)
    ids = {e.id for e in events}
    topics = _build_topics(raw.get("topics"), ids, c)
    overview = _build_overview(raw.get("overview"), ids, c)

    if c.problems:
        raise DataError(c.problems, source)
    return History(
        events=tuple(sorted(events, key=lambda e: (e.date, e.end or e.date, e.id))),
        topics=tuple(topics),
        overview=overview,
        categories=tuple(categories.items()),
        category_translations=category_translations,
    )


def _build_events(
    raw: object, categories: Mapping[str, str], c: _Collector, today: date | None
) -> list[Event]:
    if not isinstance(raw, list) or not raw:
        c.add("[[events]]", "there must be at least one event")
        return []
    events: list[Event] = []
    seen: set[str] = set()
    for index, table in enumerate(raw):
        where = f"event #{index + 1}"
        if not isinstance(table, dict):
            c.add(where, "must be a table")
            continue
        event_id = table.get("id")
        if isinstance(event_id, str) and _ID.fullmatch(event_id):
            where = f"event {event_id}"
            if event_id in seen:
                c.add(where, "duplicate id")
            seen.add(event_id)
        else:
            c.add(where, "`id` must be a short id of letters, digits, - or _")
            event_id = ""
        for key in sorted(set(table) - _EVENT_KEYS):
            c.add(where, f"unknown key `{key}` (a typo?)")

        try:
            precision = Precision(str(table.get("precision")))
        except ValueError:
            c.add(where, "`precision` must be day, month or year")
            precision = None
        start = end = None
        if precision is not None:
            try:
                start = _parse_date(table.get("date"), precision)
            except ValueError as exc:
                c.add(where, f"`date` {exc}")
            if "end" in table:
                try:
                    end = _parse_date(table["end"], precision)
                except ValueError as exc:
                    c.add(where, f"`end` {exc}")
                if start and end and end < start:
                    c.add(where, "`end` is before `date`")
            if start and today is not None and start > today:
                c.add(where, "`date` is in the future")

        category = table.get("category")
        if category not in categories:
            known = ", ".join(categories) or "none defined"
            c.add(where, f"unknown category {category!r} (known: {known})")
        approximate = table.get("approximate", False)
        if not isinstance(approximate, bool):
            c.add(where, "`approximate` must be true or false")
        as_of = None
        if "as_of" in table:
            try:
                as_of = _parse_date(table["as_of"], Precision.MONTH)
            except ValueError as exc:
                c.add(where, f"`as_of` {exc} (write YYYY-MM)")
            else:
                if start and as_of < start.replace(day=1):
                    c.add(where, "`as_of` is before the event")
                if today is not None and as_of > today:
                    c.add(where, "`as_of` is in the future")

        title = c.text(where, table, "title", limit=TITLE_MAX)
        summary = c.text(where, table, "summary", limit=SUMMARY_MAX)
        country = c.text(where, table, "country", limit=200)
        confidence = c.text(where, table, "confidence", limit=300)
        people = c.strings(where, table, "people")
        sources = c.sources(where, table)
        translations = c.translations(where, table.get("translations"),
                                      {"title": title, "summary": summary}, EVENT_TRANSLATED)
        if start is None or precision is None or not isinstance(category, str):
            continue
        events.append(
            Event(
                id=event_id,
                date=start,
                end=end,
                precision=precision,
                approximate=approximate is True,
                category=category,
                title=title,
                summary=summary,
                country=country,
                people=people,
                sources=sources,
                confidence=confidence,
                as_of=as_of,
                translations=translations,
            )
        )
    return events


def _build_topics(raw: object, event_ids: set[str], c: _Collector) -> list[Topic]:
    if not isinstance(raw, list) or not raw:
        c.add("[[topics]]", "there must be at least one topic")
        return []
    topics: list[Topic] = []
    seen: set[str] = set()
    for index, table in enumerate(raw):
        where = f"topic #{index + 1}"
        if not isinstance(table, dict):
            c.add(where, "must be a table")
            continue
        topic_id = table.get("id")
        if isinstance(topic_id, str) and _ID.fullmatch(topic_id):
            where = f"topic {topic_id}"
            if topic_id in seen:
                c.add(where, "duplicate id")
            seen.add(topic_id)
        else:
            c.add(where, "`id` must be a short id of letters, digits, - or _")
            topic_id = ""
        for key in sorted(set(table) - _TOPIC_KEYS):
            c.add(where, f"unknown key `{key}` (a typo?)")
        name = c.text(where, table, "name", limit=Limits.CHOICE_NAME)
        body = c.text(where, table, "text", limit=Limits.EMBED_DESCRIPTION)
        refs = c.strings(where, table, "events")
        for ref in refs:
            if ref not in event_ids:
                c.add(where, f"refers to unknown event {ref!r}")
        topics.append(
            Topic(
                id=topic_id,
                name=name,
                text=body,
                aliases=c.strings(where, table, "aliases"),
                people=c.strings(where, table, "people"),
                events=refs,
                sources=c.sources(where, table),
                translations=c.translations(where, table.get("translations"),
                                            {"name": name, "text": body}, TOPIC_TRANSLATED),
            )
        )
    return topics


def _build_overview(raw: object, event_ids: set[str], c: _Collector) -> Overview:
    where = "[overview]"
    if not isinstance(raw, dict):
        c.add(where, "must be a table with text, events and sources")
        return Overview("", (), ())
    for key in sorted(set(raw) - _OVERVIEW_KEYS):
        c.add(where, f"unknown key `{key}` (a typo?)")
    refs = c.strings(where, raw, "events")
    for ref in refs:
        if ref not in event_ids:
            c.add(where, f"refers to unknown event {ref!r}")
    body = c.text(where, raw, "text", limit=Limits.EMBED_DESCRIPTION)
    return Overview(
        text=body,
        events=refs,
        sources=c.sources(where, raw),
        translations=c.translations(where, raw.get("translations"), {"text": body},
                                    OVERVIEW_TRANSLATED),
    )



# --------------------------------------------------------------------------- checks


def _months_ago(today: date, months: int) -> date:
    """The first day of the month `months` before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def outdated_outcomes(history: History, today: date, tr: Tr) -> list[str]:
    """Court outcomes whose "as of" month is more than AS_OF_MONTHS before
    `today` (months in `tr`'s words): an appeal or a retrial may have changed
    them since, so whoever runs the bot should have them re-checked."""
    stale = _months_ago(today, AS_OF_MONTHS)
    return [
        f"history: event {event.id}: its outcome is stated as of "
        f"{render.format_month(tr, event.as_of)}, more than {AS_OF_MONTHS} months ago: "
        "re-check it (a later development needs 2 sources)"
        for event in history.events
        if event.as_of is not None and event.as_of < stale
    ]


def warnings(history: History) -> list[str]:
    """Editorial notes that do not stop the bot, for whoever maintains the
    content: events no topic lists, and events resting on one source or on
    sources that disagree."""
    found = []
    covered = {ref for t in history.topics for ref in t.events}
    for event in history.events:
        if event.id not in covered:
            found.append(f"event {event.id} is not listed in any topic")
        lowered = event.confidence.lower()
        if lowered.startswith(("conflicting", "1 source")):
            found.append(f"event {event.id}: confidence is {event.confidence!r}")
    return found


def translation_coverage(history: History) -> list[str]:
    """How much of the history each language has, one line a language:
    "es-ES 87/87" (entries whose every prose field is translated, counting a
    language's fallback, es-419 -> es-ES; entries: the overview, each topic,
    event and category)."""
    entries: list[tuple[Mapping[str, str], Translations]] = [
        ({"text": history.overview.text}, history.overview.translations),
        *(({"name": t.name, "text": t.text}, t.translations) for t in history.topics),
        *(({"title": e.title, "summary": e.summary}, e.translations) for e in history.events),
        *(({key: label}, history.category_translations) for key, label in history.categories),
    ]
    lines = []
    for locale in CONTENT_LOCALES:
        done, total = coverage(entries, locale)
        lines.append(f"{locale} {done}/{total}")
    return lines


# --------------------------------------------------------------------------- module API


@cache
def default() -> History:
    """The shipped history, loaded and validated once per process."""
    return load(DATA_PATH)


def translation_summary() -> str:
    """`python -m bot check`'s line on translations: "es-ES 87/87, es-419 87/87, ..."."""
    return ", ".join(translation_coverage(default()))


def check(today: date | None = None) -> list[str]:
    """Validate the shipped data for `python -m bot check`: the notes for its
    maintainers (`warnings`), or DataError.

    Reads the file as it is now (not the cached copy the running bot uses).
    """
    return warnings(load(DATA_PATH, today=today or date.today(), translator=Translator()))


def recheck(today: date | None = None) -> list[str]:
    """What the operator should have re-checked, for `python -m bot check`
    (shown without --content): outcomes stated as of more than AS_OF_MONTHS ago."""
    today = today or date.today()
    translator = Translator()
    history = load(DATA_PATH, today=today, translator=translator)
    return outdated_outcomes(history, today, translator.for_locale(SOURCE_LOCALE))


def links() -> list[Link]:
    """Every source of the history, for ``python -m bot check --online``."""
    history = default()
    return [
        *(Link(url, "history overview source") for url in history.overview.sources),
        *(Link(url, f"history event {e.id} source") for e in history.events for url in e.sources),
        *(Link(url, f"history topic {t.id} source") for t in history.topics for url in t.sources),
    ]
