"""Finding a topic from what a person typed: typos, accents, limits, and
anything at all a client may send."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.history import loader
from bot.features.history.model import History
from bot.features.history.search import TopicIndex


@pytest.fixture(scope="module")
def history() -> History:
    return loader.load()


@cache
def shipped_index() -> TopicIndex:
    return TopicIndex(loader.default().topics)


# ------------------------------------------------------------------ topic search


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("Tarana Burke", "tarana-burke"),
        ("tarnaa burke", "tarana-burke"),
        ("milano", "october-2017"),
        ("alysa milan", "october-2017"),
        ("weinstien", "courts"),
        ("cosbi", "courts"),
        ("balance ton porc", "worldwide"),
        ("korea", "worldwide"),
        ("rice buny", "worldwide"),
        ("origns", "origins"),
        ("statistcs", "reach"),
    ],
)
def test_search_topics_tolerates_typos(history: History, typed: str, topic: str) -> None:
    found = TopicIndex(history.topics).search(typed)
    assert found, typed
    assert topic in [c.value for c in found[:3]], (typed, found[:3])


def test_search_topics_empty_lists_every_topic(history: History) -> None:
    found = shipped_index().search("")
    assert [c.value for c in found] == [t.id for t in history.topics]


def test_search_topics_limit_and_shape(history: History) -> None:
    index = TopicIndex(history.topics)
    assert len(index.search("a", limit=3)) <= 3
    assert len(index.search("e", limit=1000)) <= 25
    for choice in index.search("weinstein"):
        assert 0 < len(choice.name) <= 100 and history.topic(choice.value) is not None


def test_find_topic(history: History) -> None:
    index = TopicIndex(history.topics)
    assert index.find("courts").id == "courts"
    assert index.find("Tarana Burke").id == "tarana-burke"
    assert index.find("Bill Cosby").id == "courts"
    assert index.find("tarana burk").id == "tarana-burke"
    assert index.find("zzzzqqq") is None
    assert index.find("") is None
    assert index.find(None) is None


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.none(),
        st.integers(),
        st.binary(max_size=50),
        st.lists(st.text(max_size=5), max_size=3),
    ),
    st.one_of(st.integers(min_value=-5, max_value=1000), st.none()),
)
def test_search_never_raises_and_returns_at_most_25(query: object, limit: int | None) -> None:
    history, index = loader.default(), shipped_index()
    found = index.search(query) if limit is None else index.search(query, limit)
    assert len(found) <= 25
    ids = {t.id for t in history.topics}
    assert all(c.value in ids and 0 < len(c.name) <= 100 for c in found)
    index.find(query)  # must not raise either
