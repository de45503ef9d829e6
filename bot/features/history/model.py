"""The history's data: events, topics, the overview, and the questions asked of them.

Pure: no discord import. Built and validated by `loader`; laid out by `render`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.kit.content import Translations, no_translations


class Precision(StrEnum):
    """How precisely the sources agree on an event's date: it is never shown more
    precisely than that."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


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
    # title and summary in other languages (bot.kit.content)
    translations: Translations = field(default_factory=no_translations, compare=False)

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
    # name and text in other languages (bot.kit.content)
    translations: Translations = field(default_factory=no_translations, compare=False)


@dataclass(frozen=True, slots=True)
class Overview:
    text: str
    events: tuple[str, ...]
    sources: tuple[str, ...]
    # text in other languages (bot.kit.content)
    translations: Translations = field(default_factory=no_translations, compare=False)


@dataclass(frozen=True, slots=True)
class History:
    """The whole history, as validated by the loader: events oldest first."""

    events: tuple[Event, ...]
    topics: tuple[Topic, ...]
    overview: Overview
    categories: tuple[tuple[str, str], ...]  # (id, label) in the data file's order
    # each category's label in other languages, under its id (bot.kit.content)
    category_translations: Translations = field(default_factory=no_translations, compare=False)

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

    def fingerprint(self) -> str:
        """6 hex digits that change when the events do: a page button from before a
        data change carries the old ones, and expires kindly instead of showing a
        page whose contents moved. (Buttons already posted carry this digest: keep
        the recipe.)"""
        digest = hashlib.sha256()
        for event in self.events:
            digest.update(f"{event.id}|{event.date}|{event.category}\n".encode())
        digest.update(str(len(self.sources())).encode())
        return digest.hexdigest()[:6]
