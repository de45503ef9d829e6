"""The movement's history: data model, validating loader, timeline queries and page layout.

Pure: no discord import. The cog turns the `Card`s (bot.kit.cards) built here into
embeds, so the page layout (and its fit within Discord's embed limits) is decided and
tested here.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process, utils

from bot.i18n.translator import ENGLISH
from bot.kit.cards import Card, Field, Limits, pack_lines, truncate
from bot.text import history as text

DATA_PATH: Final = Path(__file__).resolve().parent.parent / "data" / "history.toml"


class DataError(ValueError):
    """The history data is invalid; `problems` lists every problem found, one a line."""

    def __init__(self, problems: Sequence[str], source: str = "history data") -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''}:\n{lines}")


# --------------------------------------------------------------------------- limits

# Our own budget per card stays well under Discord's total, so a later change of wording
# (a longer footer, a longer title) cannot push a page over the real limit.
CARD_BUDGET: Final = 5000
DEFAULT_PER_PAGE: Final = 5
SOURCES_PER_PAGE: Final = 20
AUTOCOMPLETE_LIMIT: Final = Limits.CHOICES
CHOICE_NAME_MAX: Final = Limits.CHOICE_NAME
QUERY_MAX: Final = Limits.TYPED_OPTION


# --------------------------------------------------------------------------- model


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_DATE_PATTERNS: Final = {
    Precision.YEAR: re.compile(r"\d{4}"),
    Precision.MONTH: re.compile(r"\d{4}-\d{2}"),
    Precision.DAY: re.compile(r"\d{4}-\d{2}-\d{2}"),
}


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: date  # first day of the period for month or year precision
    precision: Precision
    category: str
    title: str
    summary: str
    country: str
    people: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str
    end: dt.date | None = None  # dt.date: `date` is a field's name in this class
    approximate: bool = False
    # For a court outcome that can still change: the month the sources last
    # confirmed it (first day of that month). Shown beside the outcome.
    as_of: dt.date | None = None

    @property
    def years(self) -> range:
        last = self.end.year if self.end else self.date.year
        return range(self.date.year, last + 1)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    text: str
    aliases: tuple[str, ...]
    people: tuple[str, ...]
    events: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    text: str
    events: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicChoice:
    """One autocomplete suggestion: `name` is shown, `value` (a topic id) is sent back."""

    name: str
    value: str


# --------------------------------------------------------------------------- dates


def format_date(event: Event) -> str:
    """The event's date, never more precise than its sources (SPEC 5; issue 4)."""
    if event.end is None or event.end == event.date:
        shown = _format_point(event.date, event.precision)
    else:
        shown = _format_range(event.date, event.end, event.precision)
    return text.DATE_APPROXIMATE.format(date=shown) if event.approximate else shown


def _format_point(when: date, precision: Precision) -> str:
    month = text.MONTHS[when.month - 1]
    if precision is Precision.DAY:
        return text.DATE_DAY.format(day=when.day, month=month, year=when.year)
    if precision is Precision.MONTH:
        return text.DATE_MONTH.format(month=month, year=when.year)
    return text.DATE_YEAR.format(year=when.year)


def _format_range(start: date, end: date, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return text.DATE_RANGE_YEARS.format(first=start.year, last=end.year)
    same_year = start.year == end.year
    if precision is Precision.DAY and same_year and start.month == end.month:
        return text.DATE_RANGE_DAYS.format(
            first=start.day, last=end.day, month=text.MONTHS[start.month - 1], year=start.year
        )
    if same_year:
        # "October – December 2017" reads better than repeating the year.
        first = (
            text.DATE_DAY.format(day=start.day, month=text.MONTHS[start.month - 1], year="")
            if precision is Precision.DAY
            else text.MONTHS[start.month - 1]
        ).strip()
        return text.DATE_RANGE.format(start=first, end=_format_point(end, precision))
    return text.DATE_RANGE.format(
        start=_format_point(start, precision), end=_format_point(end, precision)
    )


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
}
_TOPIC_KEYS: Final = {"id", "name", "aliases", "people", "text", "events", "sources"}
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
# Ids are packed into button custom ids, hence the short, plain alphabet above.
TITLE_MAX: Final = 200
# `python -m bot check` warns when an outcome's "as of" month is older than this.
AS_OF_MONTHS: Final = 12
SUMMARY_MAX: Final = 700


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


def parse(document: str, *, source: str = "history data", today: date | None = None) -> History:
    """Build a validated `History` from TOML text; raises DataError listing every problem.

    With `today`, an event dated after it is an error too (a typo such as 2071 for 2017).
    """
    try:
        raw = tomllib.loads(document)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"not valid TOML: {exc}"], source) from None
    return _build(raw, source, today)


def load(path: Path | str = DATA_PATH, *, today: date | None = None) -> History:
    path = Path(path)
    try:
        document = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError([f"cannot read {path}: {exc.strerror or exc}"], str(path)) from None
    return parse(document, source=str(path), today=today)


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
            else:
                categories[key] = label.strip()

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
    history = History(
        events=tuple(sorted(events, key=lambda e: (e.date, e.end or e.date, e.id))),
        topics=tuple(topics),
        overview=overview,
        categories=tuple(categories.items()),
    )
    # A card that does not fit cannot be shown at all, so it is a data error too.
    layout = history.layout_problems()
    if layout:
        raise DataError(layout, source)
    return history


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
        name = c.text(where, table, "name", limit=CHOICE_NAME_MAX)
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
            )
        )
    return topics


def _build_overview(raw: object, event_ids: set[str], c: _Collector) -> Overview:
    where = "[overview]"
    if not isinstance(raw, dict):
        c.add(where, "must be a table with text, events and sources")
        return Overview("", (), ())
    refs = c.strings(where, raw, "events")
    for ref in refs:
        if ref not in event_ids:
            c.add(where, f"refers to unknown event {ref!r}")
    return Overview(
        text=c.text(where, raw, "text", limit=Limits.EMBED_DESCRIPTION),
        events=refs,
        sources=c.sources(where, raw),
    )


# --------------------------------------------------------------------------- layout


def _months_ago(today: date, months: int) -> date:
    """The first day of the month `months` before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def source_link(url: str) -> str:
    return text.SOURCE_LINK.format(host=_host(url), url=url)


def event_field(event: Event) -> Field:
    links = text.SOURCE_SEPARATOR.join(source_link(u) for u in event.sources)
    summary = event.summary
    if event.as_of is not None:
        as_of = _format_point(event.as_of, Precision.MONTH)
        summary = f"{summary} {text.OUTCOME_AS_OF.format(as_of=as_of)}"
    value = f"{summary}\n{text.EVENT_SOURCES.format(links=links)}"
    return Field(text.EVENT_NAME.format(date=format_date(event), title=event.title), value)


def _list_fields(first: str, more: str, lines: Iterable[str]) -> list[Field]:
    blocks = pack_lines(lines, Limits.FIELD_VALUE)
    return [Field(first if i == 0 else more, block) for i, block in enumerate(blocks)]


def paginate(events: Sequence[Event], per_page: int = DEFAULT_PER_PAGE) -> list[tuple[Event, ...]]:
    """Split events into pages of at most `per_page` that each fit one embed.

    The page header and footer are reserved for up front, so a page found to fit here
    still fits once the cog adds its title and page number.
    """
    per_page = max(1, min(per_page, Limits.EMBED_FIELDS))
    reserve = Limits.EMBED_TITLE + 200  # title plus the longest footer we write
    pages: list[tuple[Event, ...]] = []
    page: list[Event] = []
    used = reserve
    for event in events:
        f = event_field(event)
        size = len(f.name) + len(f.value)
        if page and (len(page) >= per_page or used + size > CARD_BUDGET):
            pages.append(tuple(page))
            page, used = [], reserve
        page.append(event)
        used += size
    if page:
        pages.append(tuple(page))
    return pages


# --------------------------------------------------------------------------- queries


def _fold(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form for matching typed names."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return utils.default_process(stripped)


def _clean_query(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    printable = "".join(ch for ch in raw[: QUERY_MAX * 4] if ch.isprintable())
    return printable.strip()[:QUERY_MAX]


@dataclass(frozen=True, slots=True)
class History:
    events: tuple[Event, ...]
    topics: tuple[Topic, ...]
    overview: Overview
    categories: tuple[tuple[str, str], ...]  # (id, label) in the data file's order
    _index: list[tuple[str, str, str]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # (folded search key, label shown, topic id); names first so ties favour topics.
        entries: list[tuple[str, str, str]] = []
        for topic in self.topics:
            entries.append((_fold(topic.name), topic.name, topic.id))
        for topic in self.topics:
            for extra in (*topic.people, *topic.aliases):
                label = extra if _fold(extra) == _fold(topic.name) else f"{extra} ({topic.name})"
                entries.append((_fold(extra), truncate(label, CHOICE_NAME_MAX), topic.id))
        self._index.extend(e for e in entries if e[0])

    # -- lookups

    @property
    def category_labels(self) -> dict[str, str]:
        return dict(self.categories)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    @property
    def first_year(self) -> int:
        return self.events[0].date.year

    @property
    def last_year(self) -> int:
        return max(y for e in self.events for y in e.years)

    def years(self) -> list[int]:
        return sorted({y for e in self.events for y in e.years})

    def timeline(self, year: int | None = None, category: str | None = None) -> list[Event]:
        """Events oldest first (newest last), optionally for one year and/or category."""
        return [
            e
            for e in self.events
            if (year is None or year in e.years) and (category is None or e.category == category)
        ]

    def sources(self) -> list[str]:
        """Every source URL once, in order of first use (overview, events, topics)."""
        ordered = [
            *self.overview.sources,
            *(u for e in self.events for u in e.sources),
            *(u for t in self.topics for u in t.sources),
        ]
        return list(dict.fromkeys(ordered))

    def search_topics(self, query: object, limit: int = AUTOCOMPLETE_LIMIT) -> list[TopicChoice]:
        """Autocomplete over topic names, people and aliases. Never raises; at most 25."""
        try:
            return self._search(query, limit)
        except Exception:  # autocomplete must answer whatever it is sent
            return [TopicChoice(t.name, t.id) for t in self.topics][: self._cap(limit)]

    @staticmethod
    def _cap(limit: object) -> int:
        if not isinstance(limit, int) or isinstance(limit, bool):
            return AUTOCOMPLETE_LIMIT
        return max(0, min(limit, AUTOCOMPLETE_LIMIT))

    def _search(self, query: object, limit: int) -> list[TopicChoice]:
        cap = self._cap(limit)
        needle = _fold(_clean_query(query))
        if not needle:
            return [TopicChoice(t.name, t.id) for t in self.topics][:cap]
        keys = [key for key, _, _ in self._index]
        # WRatio tolerates typos and partial words ("tarnaa", "weinst"); the cut-off keeps
        # unrelated entries out of the list.
        scored = process.extract(
            needle, keys, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=60
        )

        # Prefer entries whose words start with what was typed, then the fuzzy score.
        def rank(hit: tuple[str, float, int]) -> tuple[bool, float, int]:
            key, score, position = hit
            starts = any(word.startswith(needle) for word in key.split()) or key.startswith(needle)
            return (not starts, -score, position)

        choices: list[TopicChoice] = []
        seen: set[str] = set()
        for key, _, position in sorted(scored, key=rank):
            # Very short keys ("ILO", "NDA") match almost anything partially; only a
            # prefix counts for them.
            if len(key) < 4 and not (key.startswith(needle) or needle.startswith(key)):
                continue
            _, label, topic_id = self._index[position]
            if label in seen:
                continue
            seen.add(label)
            choices.append(TopicChoice(label, topic_id))
            if len(choices) >= cap:
                break
        return choices

    def find_topic(self, name: object) -> Topic | None:
        """The topic a user asked for: its id (what autocomplete sends) or a close name."""
        query = _clean_query(name)
        if not query:
            return None
        if (topic := self.topic(query)) is not None:
            return topic
        folded = _fold(query)
        keys = [key for key, _, _ in self._index]
        for key, _, topic_id in self._index:
            if key == folded:
                return self.topic(topic_id)
        # A typed name with a typo still finds its topic, but only when the match is close.
        hit = process.extractOne(folded, keys, scorer=fuzz.WRatio, processor=None)
        if hit is not None and hit[1] >= 85:
            return self.topic(self._index[hit[2]][2])
        return None

    # -- cards

    def timeline_title(self, year: int | None, category: str | None) -> str:
        label = self.category_labels.get(category or "", "")
        if year is not None and label:
            return text.TIMELINE_TITLE_BOTH.format(category=label, year=year)
        if year is not None:
            return text.TIMELINE_TITLE_YEAR.format(year=year)
        if label:
            return text.TIMELINE_TITLE_CATEGORY.format(category=label)
        return text.TIMELINE_TITLE

    def timeline_pages(
        self,
        year: int | None = None,
        category: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> list[Card]:
        """The timeline as cards, one a page; empty when nothing matches."""
        events = self.timeline(year, category)
        pages = paginate(events, per_page)
        title = self.timeline_title(year, category)
        cards = []
        for number, page in enumerate(pages, start=1):
            count = ENGLISH.plural(text.EVENTS_ONE, text.EVENTS_OTHER, len(events))
            footer = text.PAGE_FOOTER.format(page=number, pages=len(pages), count=count)
            cards.append(Card(title, fields=tuple(event_field(e) for e in page), footer=footer))
        return cards

    def no_events_message(self, year: int | None, category: str | None) -> str:
        label = self.category_labels.get(category or "", category or "")
        if year is not None and category is not None:
            return text.NO_EVENTS_YEAR_CATEGORY.format(category=label, year=year)
        if year is not None:
            return text.NO_EVENTS_YEAR.format(year=year, first=self.first_year, last=self.last_year)
        return text.NO_EVENTS_CATEGORY

    def topic_card(self, topic: Topic) -> Card:
        fields: list[Field] = []
        if topic.people:
            fields.append(Field(text.FIELD_PEOPLE, ", ".join(topic.people)))
        related = [e for e in self.events if e.id in set(topic.events)]
        lines = [text.EVENT_LINE.format(date=format_date(e), title=e.title) for e in related]
        fields += _list_fields(text.FIELD_EVENTS, text.FIELD_EVENTS_MORE, lines)
        links = [source_link(u) for u in topic.sources]
        fields += _list_fields(text.FIELD_SOURCES, text.FIELD_SOURCES_MORE, links)
        return Card(topic.name, topic.text, tuple(fields))

    def overview_card(self) -> Card:
        links = [source_link(u) for u in self.overview.sources]
        fields = _list_fields(text.FIELD_SOURCES, text.FIELD_SOURCES_MORE, links)
        return Card(text.OVERVIEW_TITLE, self.overview.text, tuple(fields))

    def sources_pages(self, per_page: int = SOURCES_PER_PAGE) -> list[Card]:
        urls = self.sources()
        per_page = max(1, per_page)
        chunks = [urls[i : i + per_page] for i in range(0, len(urls), per_page)] or [[]]
        cards = []
        for number, chunk in enumerate(chunks, start=1):
            lines = [text.BULLET_LINK.format(link=source_link(u)) for u in chunk]
            footer = text.PAGE_FOOTER.format(
                page=number,
                pages=len(chunks),
                count=ENGLISH.plural(text.SOURCES_ONE, text.SOURCES_OTHER, len(urls)),
            )
            description = "\n".join([text.SOURCES_INTRO, "", *lines])
            cards.append(Card(text.SOURCES_TITLE, description, footer=footer))
        return cards

    def all_cards(self) -> list[tuple[str, Card]]:
        """Every card the bot can show, labelled, for validation and tests."""
        cards: list[tuple[str, Card]] = [("overview", self.overview_card())]
        filters: list[tuple[int | None, str | None]] = [(None, None)]
        filters += [(y, None) for y in self.years()]
        filters += [(None, c) for c, _ in self.categories]
        filters += [(y, c) for y in self.years() for c, _ in self.categories]
        for year, category in filters:
            for n, card in enumerate(self.timeline_pages(year, category), start=1):
                cards.append((f"timeline year={year} category={category} page {n}", card))
        cards += [(f"topic {t.id}", self.topic_card(t)) for t in self.topics]
        cards += [(f"sources page {n}", c) for n, c in enumerate(self.sources_pages(), 1)]
        return cards

    def layout_problems(self) -> list[str]:
        problems = []
        for event in self.events:
            f = event_field(event)
            if len(f.name) > Limits.FIELD_NAME or len(f.value) > Limits.FIELD_VALUE:
                problems.append(
                    f"event {event.id}: too long for one timeline entry "
                    f"({len(f.name)} + {len(f.value)} characters; limits 256 and 1024)"
                )
        if problems:
            return problems
        for label, card in self.all_cards():
            problems += [f"{label}: {p}" for p in card.problems(CARD_BUDGET)]
        return problems

    def warnings(self, today: date | None = None) -> list[str]:
        """Things worth a look that do not stop the bot: among them, court
        outcomes whose "as of" month is more than 12 months before `today`."""
        found = []
        if today is not None:
            stale = _months_ago(today, AS_OF_MONTHS)
            for event in self.events:
                if event.as_of is not None and event.as_of < stale:
                    found.append(
                        f"event {event.id}: its outcome is stated as of "
                        f"{_format_point(event.as_of, Precision.MONTH)}, more than "
                        f"{AS_OF_MONTHS} months ago: re-check it (a later development "
                        "needs 2 sources)"
                    )
        covered = {ref for t in self.topics for ref in t.events}
        for event in self.events:
            if event.id not in covered:
                found.append(f"event {event.id} is not listed in any topic")
            lowered = event.confidence.lower()
            if lowered.startswith(("conflicting", "1 source")):
                found.append(f"event {event.id}: confidence is {event.confidence!r}")
        return found


# --------------------------------------------------------------------------- module API


@cache
def default() -> History:
    """The shipped history, loaded and validated once per process."""
    return load(DATA_PATH)


def check(today: date | None = None) -> list[str]:
    """Validate the shipped data for `python -m bot check`: warnings, or DataError.

    Reads the file as it is now (not the cached copy the running bot uses).
    """
    today = today or date.today()
    return load(DATA_PATH, today=today).warnings(today)


def timeline(year: int | None = None, category: str | None = None) -> list[Event]:
    return default().timeline(year, category)


def search_topics(query: object, limit: int = AUTOCOMPLETE_LIMIT) -> list[TopicChoice]:
    return default().search_topics(query, limit)


def sources() -> list[str]:
    return default().sources()
