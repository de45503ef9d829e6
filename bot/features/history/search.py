"""Finding a topic from what a person typed: autocomplete and the typed name.

Pure: no discord import. Tolerant of typos, accents and case, and safe with
anything a client sends (autocomplete must always answer).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.features.history.model import Topic
from bot.kit.cards import Limits, truncate

# WRatio tolerates typos and partial words ("tarnaa", "weinst"); below this score
# an entry is unrelated and stays out of the list.
SUGGEST_SCORE = 60
# A typed name with a typo still finds its topic, but only when this close.
FIND_SCORE = 85
# Very short keys ("ILO", "NDA") match almost anything partially: only a prefix
# counts for keys shorter than this.
SHORT_KEY = 4


@dataclass(frozen=True, slots=True)
class TopicChoice:
    """One autocomplete suggestion: `name` is shown, `value` (a topic id) is sent back."""

    name: str
    value: str


def fold(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form for matching typed names."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return utils.default_process(stripped)


def clean_query(raw: object) -> str:
    """What was typed, as printable text of at most what Discord sends; "" for
    anything that is not text."""
    if not isinstance(raw, str):
        return ""
    printable = "".join(ch for ch in raw[: Limits.TYPED_OPTION * 4] if ch.isprintable())
    return printable.strip()[: Limits.TYPED_OPTION]


def _cap(limit: object) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool):
        return Limits.CHOICES
    return max(0, min(limit, Limits.CHOICES))


class TopicIndex:
    """Every name a topic is known by (its name, its people, its aliases), folded
    for matching. Build it once per history and language: `names` gives a
    topic's name in the reader's language (by id), shown in the suggestions;
    its English name still finds it."""

    def __init__(self, topics: Sequence[Topic], names: Mapping[str, str] | None = None) -> None:
        self.topics = tuple(topics)
        self._by_id = {t.id: t for t in self.topics}
        shown = {t.id: (names or {}).get(t.id) or t.name for t in self.topics}
        self._names = shown
        # (folded search key, label shown, topic id); names first so ties favour topics.
        entries: list[tuple[str, str, str]] = []
        for topic in self.topics:
            entries.append((fold(shown[topic.id]), shown[topic.id], topic.id))
        for topic in self.topics:
            name = shown[topic.id]
            english = (topic.name,) if topic.name != name else ()
            for extra in (*english, *topic.people, *topic.aliases):
                label = extra if fold(extra) == fold(name) else f"{extra} ({name})"
                entries.append((fold(extra), truncate(label, Limits.CHOICE_NAME), topic.id))
        self._entries = [e for e in entries if e[0]]
        self._keys = [key for key, _, _ in self._entries]

    def search(self, query: object, limit: object = Limits.CHOICES) -> list[TopicChoice]:
        """Autocomplete over topic names, people and aliases. Never raises; at most 25."""
        try:
            return self._search(query, _cap(limit))
        except Exception:  # autocomplete must answer whatever it is sent
            return self._every_topic(_cap(limit))

    def _every_topic(self, cap: int) -> list[TopicChoice]:
        return [TopicChoice(self._names[t.id], t.id) for t in self.topics][:cap]

    def _search(self, query: object, cap: int) -> list[TopicChoice]:
        needle = fold(clean_query(query))
        if not needle:
            return self._every_topic(cap)
        scored = process.extract(needle, self._keys, scorer=fuzz.WRatio, processor=None,
                                 limit=None, score_cutoff=SUGGEST_SCORE)

        # Prefer entries whose words start with what was typed, then the fuzzy score.
        def rank(hit: tuple[str, float, int]) -> tuple[bool, float, int]:
            key, score, position = hit
            starts = any(word.startswith(needle) for word in key.split()) or key.startswith(needle)
            return (not starts, -score, position)

        choices: list[TopicChoice] = []
        seen: set[str] = set()
        for key, _, position in sorted(scored, key=rank):
            if len(key) < SHORT_KEY and not (key.startswith(needle) or needle.startswith(key)):
                continue
            _, label, topic_id = self._entries[position]
            if label in seen:
                continue
            seen.add(label)
            choices.append(TopicChoice(label, topic_id))
            if len(choices) >= cap:
                break
        return choices

    def find(self, name: object) -> Topic | None:
        """The topic a person asked for: its id (what autocomplete sends) or a close name."""
        query = clean_query(name)
        if not query:
            return None
        if (topic := self._by_id.get(query)) is not None:
            return topic
        folded = fold(query)
        for key, _, topic_id in self._entries:
            if key == folded:
                return self._by_id[topic_id]
        hit = process.extractOne(folded, self._keys, scorer=fuzz.WRatio, processor=None)
        if hit is not None and hit[1] >= FIND_SCORE:
            return self._by_id[self._entries[hit[2]][2]]
        return None
