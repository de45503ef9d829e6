"""The history laid out as Cards: dates in the reader's words and never more
precise than the sources, pages that fit Discord's limits, every source shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.features.history import loader, render
from bot.features.history.model import Event, History, Precision
from bot.i18n.translator import SOURCE_LOCALE, Translator
from bot.kit.cards import Card

TR = Translator().for_locale(SOURCE_LOCALE)


@pytest.fixture(scope="module")
def history() -> History:
    return loader.load()


def test_every_card_fits_discord_embed_limits(history: History) -> None:
    cards = render.all_cards(TR, history)
    kinds = {label.split()[0] for label, _ in cards}
    assert kinds == {"overview", "timeline", "topic", "sources"}
    assert sum(label.startswith("topic") for label, _ in cards) == len(history.topics)
    for label, card in cards:
        # Discord's own numbers, checked here independently of Card.problems().
        assert 0 < len(card.title) <= 256, label
        assert len(card.description) <= 4096, label
        assert len(card.fields) <= 25, label
        for f in card.fields:
            assert 0 < len(f.name) <= 256, label
            assert 0 < len(f.value) <= 1024, label
        assert len(card.footer) <= 2048, label
        total = (
            len(card.title)
            + len(card.description)
            + len(card.footer)
            + sum(len(f.name) + len(f.value) for f in card.fields)
        )
        assert total <= 6000, label
        assert card.fits(render.CARD_BUDGET), (label, card.problems(render.CARD_BUDGET))


def test_every_event_and_topic_shows_its_sources(history: History) -> None:
    pages = render.timeline_pages(TR, history, per_page=25)
    shown = "\n".join(f.value for c in pages for f in c.fields)
    for event in history.events:
        for url in event.sources:
            assert f"({url})" in shown, (event.id, url)
    for topic in history.topics:
        card = render.topic_card(TR, history, topic)
        body = "\n".join(f.value for f in card.fields)
        assert all(f"({url})" in body for url in topic.sources), topic.id


def test_sources_are_deduplicated_and_complete(history: History) -> None:
    listed = loader.default().sources()
    assert len(listed) == len(set(listed))
    everything = set(history.overview.sources)
    everything |= {u for e in history.events for u in e.sources}
    everything |= {u for t in history.topics for u in t.sources}
    assert set(listed) == everything
    pages = render.sources_pages(TR, history)
    on_pages = "\n".join(c.description for c in pages)
    assert all(f"({u})" in on_pages for u in listed)


# ------------------------------------------------------------------ dates


def make_event(
    when: date,
    precision: Precision,
    *,
    end: date | None = None,
    approximate: bool = False,
    summary: str = "A calm summary.",
    event_id: str = "X1",
) -> Event:
    return Event(
        id=event_id,
        date=when,
        precision=precision,
        category="culture",
        title="A title",
        summary=summary,
        country="Nowhere",
        people=(),
        sources=("https://example.org/a",),
        confidence="test",
        end=end,
        approximate=approximate,
    )


@pytest.mark.parametrize(
    ("event", "shown"),
    [
        (make_event(date(2017, 10, 5), Precision.DAY), "5 October 2017"),
        (make_event(date(2017, 10, 1), Precision.MONTH), "October 2017"),
        (make_event(date(2014, 1, 1), Precision.YEAR), "2014"),
        (make_event(date(1997, 1, 1), Precision.YEAR, approximate=True), "around 1997"),
        (
            make_event(date(2017, 10, 15), Precision.DAY, end=date(2017, 10, 16)),
            "15–16 October 2017",
        ),
        (
            make_event(date(2017, 10, 29), Precision.DAY, end=date(2017, 12, 7)),
            "29 October – 7 December 2017",
        ),
        (
            make_event(date(2017, 10, 1), Precision.MONTH, end=date(2017, 12, 1)),
            "October – December 2017",
        ),
        (
            make_event(date(2017, 12, 1), Precision.MONTH, end=date(2018, 1, 1)),
            "December 2017 – January 2018",
        ),
    ],
)
def test_format_date_honours_precision(event: Event, shown: str) -> None:
    assert render.format_date(TR, event) == shown


def test_the_words_of_a_date_go_through_the_translator() -> None:
    """Month names, "around" and the order of a date's parts are words of the
    reader's language; the day and the year are data."""
    tr = Translator({"fr": {
        "October": "octobre", "December": "décembre", "around {date}": "vers {date}",
        "{start} – {end}": "du {start} au {end}", "{month} {year}": "{month} {year}",
    }}).for_locale("fr")
    assert render.format_date(tr, make_event(date(2017, 10, 5), Precision.DAY)) == "5 octobre 2017"
    around = make_event(date(1997, 1, 1), Precision.YEAR, approximate=True)
    assert render.format_date(tr, around) == "vers 1997"
    weeks = make_event(date(2017, 10, 29), Precision.DAY, end=date(2017, 12, 7))
    assert render.format_date(tr, weeks) == "du 29 octobre au 7 décembre 2017"
    assert render.format_month(tr, date(2025, 12, 1)) == "décembre 2025"


def test_year_and_month_events_never_show_a_day(history: History) -> None:
    for event in history.events:
        shown = render.format_date(TR, event)
        if event.precision is not Precision.DAY:
            assert not re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}", shown), (event.id, shown)


# ------------------------------------------------------------------ timeline and paging


def test_timeline_filters(history: History) -> None:
    all_events = loader.default().timeline()
    assert len(all_events) == len(history.events)
    in_2017 = history.timeline(year=2017)
    assert in_2017 and all(2017 in e.years for e in in_2017)
    assert "E17" in {e.id for e in in_2017}
    legal = history.timeline(category="legal")
    assert legal and all(e.category == "legal" for e in legal)
    assert history.timeline(year=2000) == []
    assert history.timeline(category="no-such-category") == []
    assert "2000" in render.no_events_message(TR, history, 2000, None)
    assert str(history.first_year) in render.no_events_message(TR, history, 2000, None)


def test_paginate_keeps_order_and_respects_per_page(history: History) -> None:
    events = history.timeline()
    for per_page in (1, 3, 5, 10):
        pages = render.paginate(TR, events, per_page)
        assert [e for page in pages for e in page] == events
        assert all(0 < len(page) <= per_page for page in pages)
    assert len(render.paginate(TR, events, 1)) == len(events)
    assert all(len(p) <= 25 for p in render.paginate(TR, events, 500))
    assert render.paginate(TR, [], 5) == []


def test_paginate_splits_by_size_not_only_by_count() -> None:
    long = "word " * 150  # about 750 characters a summary
    events = [make_event(date(2017, 1, 1 + i), Precision.DAY, summary=long) for i in range(12)]
    pages = render.paginate(TR, events, 25)
    assert len(pages) > 1  # 12 entries of ~800 characters cannot share one embed
    for page in pages:
        fields = tuple(render.event_field(TR, e) for e in page)
        card = Card("t" * 256, fields=fields, footer="f" * 200)
        assert card.fits(render.CARD_BUDGET), card.problems(render.CARD_BUDGET)


def test_timeline_pages_for_2017(history: History) -> None:
    pages = render.timeline_pages(TR, history, year=2017)
    assert len(pages) >= 2
    text = "\n".join(f.name + "\n" + f.value for c in pages for f in c.fields)
    assert "15 October 2017" in text and "Milano" in text
    assert pages[0].footer.startswith("Page 1 of")
    assert render.timeline_pages(TR, history, year=2000) == []
