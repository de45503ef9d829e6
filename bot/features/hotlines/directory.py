"""The hotline directory: its entries, and which lines a person is shown.

Pure: no discord import, no file reading (`loader` reads and validates the data
file into a `HotlineDirectory`). Everything that decides *which* number a
person sees lives here, where it is tested without Discord: the lookup by
country, topic and way of contact (the emergency number always comes with it),
the country search over the countries that have lines, and which source a line
names.

Numbers are kept exactly as dialled inside their country: short codes (988,
116 123, 016...) have no international form, so nothing here produces `+` or
`tel:` forms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from urllib.parse import urlsplit

from bot.features.hotlines.topics import (
    ANY,
    CALL,
    CHAT,
    CONTACTS,
    CORE_TOPICS,
    CRISIS,
    DEFAULT_TOPIC,
    EMERGENCY,
    TEXT,
    TOPICS,
)
from bot.kit.content import Translations, item_key, no_translations
from bot.kit.countries import (
    MAX_CHOICES,
    MAX_TYPED,
    CountryIndex,
    CountrySuggestion,
    country_in_text,
    country_name,
)

# The international directory every answer without a local number points to.
FINDAHELPLINE_URL = "https://findahelpline.com"

# One way to write a phone number everywhere: digits in the
# groups the service publishes, separated by single spaces; no hyphens, dots or
# brackets. A star or hash code keeps its leading * or #; only text routes the
# service gives in international form start with +.
WRITTEN_NUMBER = re.compile(r"^(?:\+|[*#])?\d+(?: \d+)*$")


def written_number(number: str) -> str:
    """A phone number written the bot's one way: "+1 800-656-4673" and
    "(011) 5275-1135" become "+1 800 656 4673" and "011 5275 1135"."""
    return re.sub(r"[\s().\-/]+", " ", number).strip()


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------

# The prose of an entry a translation may give, each at most this long (in
# English too): the words around the data, never a number, URL or name.
# `service` is the heading of a line: its description is translated, a
# service's own name ("Samaritans", "Línea 144") is its translation as it is.
# `labels` are the labels of the entry's numbers ("police"), by their English.
TRANSLATED_FIELDS: dict[str, int] = {
    "service": 150,
    "region": 100,
    "hours": 200,
    "cost": 200,
    "languages": 100,
    "notes": 300,
    "safety_notes": 300,
    "labels": 100,
}
LIST_FIELDS = ("languages", "notes", "safety_notes")
DESCRIPTION_MAX = 300  # an international directory's description


def label_key(label: str) -> str:
    """The key of a number's label in `Translations`: "label:police"."""
    return f"label:{label}"


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
    # The prose above in other languages, by `prose()`'s keys (bot.kit.content).
    translations: Translations = field(default_factory=no_translations, compare=False)

    @property
    def is_emergency(self) -> bool:
        return EMERGENCY in self.topics

    def prose(self) -> dict[str, str]:
        """The English of every field a translation may give, by its key in
        `translations` ("service", "notes.0", "label:police")."""
        texts = {"service": self.service, "region": self.region, "hours": self.hours,
                 "cost": self.cost}
        for name in LIST_FIELDS:
            texts.update({item_key(name, i): t for i, t in enumerate(getattr(self, name))})
        labels = [p.label for p in self.phones] + [t.label for t in self.texts]
        texts.update({label_key(label): label for label in labels})
        return {key: text for key, text in texts.items() if text}


def reachable(entry: Hotline, contact: str) -> bool:
    """Whether `entry` can be reached the way `contact` asks: a phone number to
    call, an SMS or messaging route to text, a web chat; any way at all (ANY)."""
    if contact == CALL:
        return bool(entry.phones)
    if contact == TEXT:
        return bool(entry.texts)
    if contact == CHAT:
        return bool(entry.chat_url)
    return True


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
    # The description in other languages (bot.kit.content).
    translations: Translations = field(default_factory=no_translations, compare=False)

    def prose(self) -> dict[str, str]:
        return {"description": self.description}


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
    # The topic's lines, only those reachable the way `contact` asks.
    lines: tuple[Hotline, ...]
    # Other topics with checked lines in this country, so that an honest
    # "nothing verified" answer can still point somewhere useful.
    other_topics: tuple[str, ...] = ()
    contact: str = ANY
    # When the topic has lines (for the emergency topic: numbers) but none
    # reachable that way: the answer says so, and shows the other ways.
    unreachable: bool = False
    # ... which are the topic's lines (the emergency numbers are shown first anyway),
    other_ways: tuple[Hotline, ...] = ()
    # the country's crisis lines reachable that way (crisis lines are there for
    # anyone who is struggling),
    crisis_by_contact: tuple[Hotline, ...] = ()
    # and the other topics with lines reachable that way.
    contact_topics: tuple[str, ...] = ()

    @property
    def country_text(self) -> str:
        """The country's name inside a sentence ("the United Kingdom")."""
        return country_in_text(self.country)

    @property
    def country_has_lines(self) -> bool:
        return bool(self.emergency or self.lines or self.other_ways or self.other_topics)

    @property
    def nothing_verified(self) -> bool:
        """No checked line for the topic at all, whatever the way of contact."""
        return self.topic != EMERGENCY and not self.lines and not self.other_ways

    @property
    def no_emergency_verified(self) -> bool:
        return not self.emergency


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
# The directory
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


# Autocomplete asks again at every keystroke, and people type the same few
# prefixes; the directory never changes while the bot runs, so answers are kept
# (up to this many, then forgotten all at once).
_SUGGESTIONS_KEPT = 4096


@dataclass(frozen=True)
class HotlineDirectory:
    hotlines: tuple[Hotline, ...]
    directories: tuple[DirectoryLink, ...]
    by_country: Mapping[str, tuple[Hotline, ...]] = field(repr=False)
    _suggested: dict[tuple[str, int], tuple[CountrySuggestion, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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

    def lookup(
        self, country: str, topic: str = DEFAULT_TOPIC, contact: str = ANY
    ) -> LookupResult:
        code = country.strip().upper()
        name = country_name(code)  # raises UnknownCountryError for non-ISO codes
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}")
        if contact not in CONTACTS:
            raise ValueError(f"unknown way of contact {contact!r}")
        entries = self.by_country.get(code, ())
        emergency = tuple(e for e in entries if e.is_emergency)
        topic_lines: tuple[Hotline, ...] = ()
        if topic != EMERGENCY:
            # National lines first, then each region in file order: someone in
            # Scotland sees the UK-wide lines and the Scottish ones together.
            matching = [e for e in entries if topic in e.topics]
            topic_lines = tuple([e for e in matching if not e.region]
                                + [e for e in matching if e.region])
        other_topics = tuple(
            t for t in TOPICS if t not in (topic, EMERGENCY) and any(t in e.topics for e in entries)
        )
        lines = tuple(e for e in topic_lines if reachable(e, contact))
        asked = emergency if topic == EMERGENCY else topic_lines
        unreachable = bool(asked) and not any(reachable(e, contact) for e in asked)
        crisis: tuple[Hotline, ...] = ()
        contact_topics: tuple[str, ...] = ()
        if contact != ANY and (unreachable or not asked):
            # Nothing the person can use for this topic: where else they can
            # turn the way they asked.
            if topic != CRISIS:
                crisis = tuple(
                    e for e in entries if CRISIS in e.topics and reachable(e, contact)
                )
            contact_topics = tuple(
                t for t in TOPICS
                if t not in (topic, EMERGENCY) and not (t == CRISIS and crisis)
                and any(t in e.topics and reachable(e, contact) for e in entries)
            )
        return LookupResult(
            country=code,
            country_name=name,
            topic=topic,
            emergency=emergency,
            lines=lines,
            other_topics=other_topics,
            contact=contact,
            unreachable=unreachable,
            other_ways=topic_lines if unreachable else (),
            crisis_by_contact=crisis,
            contact_topics=contact_topics,
        )

    def core_lines(self, country: str) -> tuple[Hotline, ...]:
        """The country's lines for the core needs (sexual assault, domestic
        violence, crisis), each once, in the order /hotline shows them."""
        seen: dict[str, Hotline] = {}
        for topic in CORE_TOPICS:
            for entry in self.lookup(country, topic).lines:
                seen.setdefault(entry.id, entry)
        return tuple(seen.values())

    def coverage(self, country: str) -> Coverage:
        """The checked lines a country has, by topic, and its emergency number."""
        entries = self.by_country.get(country.strip().upper(), ())
        topics = tuple(
            t for t in TOPICS if t != EMERGENCY and any(t in e.topics for e in entries)
        )
        return Coverage(
            country=country,
            emergency=any(e.is_emergency for e in entries),
            topics=topics,
            missing=tuple(t for t in TOPICS if t != EMERGENCY and t not in topics),
        )

    def stale_entries(self, today: dt.date, months: int) -> tuple[Hotline, ...]:
        """The lines last checked more than `months` before `today`."""
        cutoff = _months_before(today, months)
        return tuple(e for e in self.hotlines if e.checked < cutoff)

    def stale_directories(self, today: dt.date, months: int) -> tuple[DirectoryLink, ...]:
        """The international directories last checked more than `months` before `today`."""
        cutoff = _months_before(today, months)
        return tuple(d for d in self.directories if d.checked < cutoff)

    # ---------------------------------------------------------------- countries

    @cached_property
    def country_index(self) -> CountryIndex:
        """Country search (bot.kit.countries) that knows which countries have lines."""
        return CountryIndex(self.by_country)

    def suggest_countries(self, text: str, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
        """Autocomplete choices for a country option; never more than 25."""
        key = (text[:MAX_TYPED], limit)
        found = self._suggested.get(key)
        if found is None:
            if len(self._suggested) >= _SUGGESTIONS_KEPT:
                self._suggested.clear()
            found = self._suggested[key] = tuple(self.country_index.suggest(*key))
        return list(found)

    def find_country(self, text: str) -> str | None:
        """The country a person named exactly (code, name, alias or flag), else
        None. The one resolver of /hotline, /resources and /config country."""
        return self.country_index.exact(text)

    def resolve_country(
        self,
        option: str | None,
        community_country: str | None,
        default_country: str | None,
    ) -> str | None:
        """The country of an answer: the option, else the community's, else the
        operator's default, else None (never a guess); raises UnknownCountryError
        for an option that names no country (`CountryIndex.resolve`)."""
        return self.country_index.resolve(option, community_country, default_country)

    def locale_suggestions(self, locale: str | None) -> tuple[str, ...]:
        """Country codes to offer first for a Discord locale. Never picks one."""
        if not locale:
            return ()
        codes = _LOCALE_COUNTRIES.get(locale) or _LOCALE_COUNTRIES.get(locale.split("-")[0], ())
        return tuple(c for c in codes if c in self.by_country)

    def country_menu(
        self, locale: str | None, limit: int = MAX_CHOICES
    ) -> list[CountrySuggestion]:
        """Options for the country select menu: locale suggestions first, then the
        other countries with data by name, at most 25."""
        index = self.country_index
        limit = max(0, min(limit, MAX_CHOICES))
        first = list(self.locale_suggestions(locale))
        others = sorted((c for c in self.by_country if c not in first), key=index.name)
        return [CountrySuggestion(c, index.name(c), True) for c in (first + others)[:limit]]
