"""The history's answers as Cards (bot.kit.cards), in the reader's language.

Pure: no discord import. Every function takes the reader's `tr`: the words
(titles, month names, "around", footers) go through it; the content's prose
(overview, topics, event titles and summaries, category labels) is read in the
reader's language `tr.locale` from the data's own translations (a
`bot.kit.content.ContentReader`), in English with one note per card where a
translation is missing; names, dates as data and URLs are the same in every
language. The cog turns the Cards into embeds, so the page layout, and its fit
within Discord's limits, is decided and tested here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final
from urllib.parse import urlsplit

import bot.features.history.text as text
from bot.features.history.model import Event, History, Precision, Topic
from bot.i18n.translator import Tr
from bot.kit import text as common
from bot.kit.cards import Card, Field, Limits, pack_lines
from bot.kit.content import ContentReader

# Our own budget per card stays well under Discord's total, so a later change of wording
# (a longer footer, a longer title, another language) cannot push a page over the limit.
CARD_BUDGET: Final = 5000
DEFAULT_PER_PAGE: Final = 5
SOURCES_PER_PAGE: Final = 20
# What a page adds to its entries: the title and the longest footer we write.
PAGE_RESERVE: Final = Limits.EMBED_TITLE + 200

# Layout, not words: the same in every language.
EVENT_NAME: Final = "{date} · {title}"  # "15 October 2017 · Alyssa Milano's tweet"
SOURCE_LINK: Final = "[{host}]({url})"
SOURCE_SEPARATOR: Final = " · "
BULLET_LINK: Final = "• {link}"
FOOTER_SEPARATOR: Final = " · "


# --------------------------------------------------------------------------- dates


def month_name(tr: Tr, month: int) -> str:
    return tr(text.MONTHS[month - 1])


def format_month(tr: Tr, when: date) -> str:
    """"August 2025": a month as data, in the reader's words."""
    return tr(text.DATE_MONTH, month=month_name(tr, when.month), year=when.year)


def format_date(tr: Tr, event: Event) -> str:
    """The event's date, never more precise than its sources agree on; a range
    when it has an end, "around" when the sources give it only roughly."""
    if event.end is None or event.end == event.date:
        shown = _format_point(tr, event.date, event.precision)
    else:
        shown = _format_range(tr, event.date, event.end, event.precision)
    return tr(text.DATE_APPROXIMATE, date=shown) if event.approximate else shown


def _format_point(tr: Tr, when: date, precision: Precision) -> str:
    if precision is Precision.DAY:
        return tr(text.DATE_DAY, day=when.day, month=month_name(tr, when.month), year=when.year)
    if precision is Precision.MONTH:
        return format_month(tr, when)
    return tr(text.DATE_YEAR, year=when.year)


def _format_range(tr: Tr, start: date, end: date, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return tr(text.DATE_RANGE_YEARS, first=start.year, last=end.year)
    same_year = start.year == end.year
    if precision is Precision.DAY and same_year and start.month == end.month:
        return tr(text.DATE_RANGE_DAYS, first=start.day, last=end.day,
                  month=month_name(tr, start.month), year=start.year)
    if same_year:
        # "October – December 2017" reads better than repeating the year.
        first = (
            tr(text.DATE_DAY_MONTH, day=start.day, month=month_name(tr, start.month))
            if precision is Precision.DAY
            else month_name(tr, start.month)
        )
        return tr(text.DATE_RANGE, start=first, end=_format_point(tr, end, precision))
    return tr(text.DATE_RANGE, start=_format_point(tr, start, precision),
              end=_format_point(tr, end, precision))


# --------------------------------------------------------------------------- pieces


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def source_link(url: str) -> str:
    return SOURCE_LINK.format(host=_host(url), url=url)


def reader_for(tr: Tr) -> ContentReader:
    """The content's words for one card, in `tr`'s language."""
    return ContentReader(tr.locale)


def with_note(tr: Tr, footer: str, read: ContentReader) -> str:
    """`footer`, and the note that some content is in English when `read` had to
    show English (one note per card)."""
    note = tr(common.NOT_TRANSLATED) if read.missing else ""
    return FOOTER_SEPARATOR.join(part for part in (footer, note) if part)


def event_title(read: ContentReader, event: Event) -> str:
    return read(event.title, event.translations, "title")


def event_field(tr: Tr, event: Event, read: ContentReader | None = None) -> Field:
    """One timeline entry: its date and title, then its summary (with the month
    an outcome was last confirmed, where it can still change) and its sources."""
    read = read or reader_for(tr)
    links = SOURCE_SEPARATOR.join(source_link(u) for u in event.sources)
    summary = read(event.summary, event.translations, "summary")
    if event.as_of is not None:
        summary = f"{summary} {tr(text.OUTCOME_AS_OF, as_of=format_month(tr, event.as_of))}"
    value = f"{summary}\n{tr(text.EVENT_SOURCES, links=links)}"
    return Field(EVENT_NAME.format(date=format_date(tr, event), title=event_title(read, event)),
                 value)


def _list_fields(first: str, more: str, lines: Iterable[str]) -> list[Field]:
    blocks = pack_lines(lines, Limits.FIELD_VALUE)
    return [Field(first if i == 0 else more, block) for i, block in enumerate(blocks)]


def paginate(
    tr: Tr, events: Sequence[Event], per_page: int = DEFAULT_PER_PAGE
) -> list[tuple[Event, ...]]:
    """Split events into pages of at most `per_page` that each fit one embed.

    The page header and footer are reserved for up front, so a page found to fit here
    still fits once its title and page number are added.
    """
    per_page = max(1, min(per_page, Limits.EMBED_FIELDS))
    pages: list[tuple[Event, ...]] = []
    page: list[Event] = []
    used = PAGE_RESERVE
    for event in events:
        f = event_field(tr, event)
        size = len(f.name) + len(f.value)
        if page and (len(page) >= per_page or used + size > CARD_BUDGET):
            pages.append(tuple(page))
            page, used = [], PAGE_RESERVE
        page.append(event)
        used += size
    if page:
        pages.append(tuple(page))
    return pages


# --------------------------------------------------------------------------- answers


def category_label(read: ContentReader, history: History, category: str | None) -> str:
    """The label of `category` in the reader's language ("" for none or unknown)."""
    label = history.category_labels.get(category or "", "")
    return read(label, history.category_translations, category or "") if label else ""


def timeline_title(
    tr: Tr,
    history: History,
    year: int | None,
    category: str | None,
    read: ContentReader | None = None,
) -> str:
    label = category_label(read or reader_for(tr), history, category)
    if year is not None and label:
        return tr(text.TIMELINE_TITLE_BOTH, category=label, year=year)
    if year is not None:
        return tr(text.TIMELINE_TITLE_YEAR, year=year)
    if label:
        return tr(text.TIMELINE_TITLE_CATEGORY, category=label)
    return tr(text.TIMELINE_TITLE)


def timeline_pages(
    tr: Tr,
    history: History,
    year: int | None = None,
    category: str | None = None,
    per_page: int = DEFAULT_PER_PAGE,
) -> list[Card]:
    """The timeline as cards, one a page; empty when nothing matches."""
    events = history.timeline(year, category)
    pages = paginate(tr, events, per_page)
    count = tr.plural(text.EVENTS_ONE, text.EVENTS_OTHER, len(events))
    cards = []
    for number, page in enumerate(pages, start=1):
        read = reader_for(tr)
        title = timeline_title(tr, history, year, category, read)
        fields = tuple(event_field(tr, e, read) for e in page)
        footer = tr(text.PAGE_FOOTER, page=number, pages=len(pages), count=count)
        cards.append(Card(title, fields=fields, footer=with_note(tr, footer, read)))
    return cards


def no_events_message(tr: Tr, history: History, year: int | None, category: str | None) -> str:
    read = reader_for(tr)
    label = category_label(read, history, category) or category or ""
    if year is not None and category is not None:
        message = tr(text.NO_EVENTS_YEAR_CATEGORY, category=label, year=year)
        return f"{message} {tr(common.NOT_TRANSLATED)}" if read.missing else message
    if year is not None:
        return tr(text.NO_EVENTS_YEAR, year=year, first=history.first_year,
                  last=history.last_year)
    return tr(text.NO_EVENTS_CATEGORY)


def topic_name(read: ContentReader, topic: Topic) -> str:
    return read(topic.name, topic.translations, "name")


def topic_card(tr: Tr, history: History, topic: Topic) -> Card:
    read = reader_for(tr)
    fields: list[Field] = []
    if topic.people:
        fields.append(Field(tr(text.FIELD_PEOPLE), ", ".join(topic.people)))
    related = [e for e in history.events if e.id in set(topic.events)]
    lines = [tr(text.EVENT_LINE, date=format_date(tr, e), title=event_title(read, e))
             for e in related]
    fields += _list_fields(tr(text.FIELD_EVENTS), tr(text.FIELD_EVENTS_MORE), lines)
    links = [source_link(u) for u in topic.sources]
    fields += _list_fields(tr(text.FIELD_SOURCES), tr(text.FIELD_SOURCES_MORE), links)
    name = topic_name(read, topic)
    body = read(topic.text, topic.translations, "text")
    return Card(name, body, tuple(fields), with_note(tr, "", read))


def topic_not_found(tr: Tr, history: History) -> str:
    """The kind answer to a topic nobody could find, with a few to pick from."""
    read = reader_for(tr)
    examples = ", ".join(topic_name(read, t) for t in history.topics[:5])
    message = tr(text.TOPIC_NOT_FOUND, examples=examples)
    return f"{message} {tr(common.NOT_TRANSLATED)}" if read.missing else message


def overview_card(tr: Tr, history: History) -> Card:
    read = reader_for(tr)
    links = [source_link(u) for u in history.overview.sources]
    fields = _list_fields(tr(text.FIELD_SOURCES), tr(text.FIELD_SOURCES_MORE), links)
    body = read(history.overview.text, history.overview.translations, "text")
    return Card(tr(text.OVERVIEW_TITLE), body, tuple(fields), with_note(tr, "", read))


def sources_pages(tr: Tr, history: History, per_page: int = SOURCES_PER_PAGE) -> list[Card]:
    urls = history.sources()
    per_page = max(1, per_page)
    chunks = [urls[i : i + per_page] for i in range(0, len(urls), per_page)] or [[]]
    count = tr.plural(text.SOURCES_ONE, text.SOURCES_OTHER, len(urls))
    cards = []
    for number, chunk in enumerate(chunks, start=1):
        lines = [BULLET_LINK.format(link=source_link(u)) for u in chunk]
        footer = tr(text.PAGE_FOOTER, page=number, pages=len(chunks), count=count)
        description = "\n".join([tr(text.SOURCES_INTRO), "", *lines])
        cards.append(Card(tr(text.SOURCES_TITLE), description, footer=footer))
    return cards


# --------------------------------------------------------------------------- fit


def all_cards(tr: Tr, history: History) -> list[tuple[str, Card]]:
    """Every card the bot can show, labelled, for validation and tests."""
    cards: list[tuple[str, Card]] = [("overview", overview_card(tr, history))]
    filters: list[tuple[int | None, str | None]] = [(None, None)]
    filters += [(y, None) for y in history.years()]
    filters += [(None, c) for c, _ in history.categories]
    filters += [(y, c) for y in history.years() for c, _ in history.categories]
    for year, category in filters:
        for n, card in enumerate(timeline_pages(tr, history, year, category), start=1):
            cards.append((f"timeline year={year} category={category} page {n}", card))
    cards += [(f"topic {t.id}", topic_card(tr, history, t)) for t in history.topics]
    cards += [(f"sources page {n}", c) for n, c in enumerate(sources_pages(tr, history), 1)]
    return cards


def layout_problems(tr: Tr, history: History) -> list[str]:
    """Why some answer could not be shown in `tr`'s language (for whoever edits the
    data: a card that does not fit cannot be shown at all). Empty when all fit."""
    problems = []
    for event in history.events:
        f = event_field(tr, event)
        if len(f.name) > Limits.FIELD_NAME or len(f.value) > Limits.FIELD_VALUE:
            problems.append(
                f"event {event.id}: too long for one timeline entry "
                f"({len(f.name)} + {len(f.value)} characters; limits {Limits.FIELD_NAME} "
                f"and {Limits.FIELD_VALUE})"
            )
    if problems:
        return problems
    for label, card in all_cards(tr, history):
        problems += [f"{label}: {p}" for p in card.problems(CARD_BUDGET)]
    return problems
