"""The /hotline answers as Cards, within Discord's limits. Pure: no discord import.

Every support answer starts with the emergency guidance (`emergency_guidance`):
the country's checked number, or the general line when there is none or the
country is not known. Data (numbers, names, links) is shown as written in the
data file, markdown escaped; the bot's own words go through `tr`; the data's
prose (service headings, hours, cost, languages, notes, number labels,
regions) is read in the reader's language `tr.locale` from the entry's
translations (a `bot.kit.content.ContentReader`), in English with one note
where one is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.features.hotlines import text
from bot.features.hotlines.directory import (
    FINDAHELPLINE_URL,
    DirectoryLink,
    Hotline,
    LookupResult,
    Phone,
    TextLine,
    label_key,
    shown_source,
)
from bot.features.hotlines.topics import ANY, CRISIS, EMERGENCY, TOPIC_LABELS
from bot.i18n.translator import Tr
from bot.kit import text as common
from bot.kit.cards import Card, Field, Limits, pack_lines, truncate
from bot.kit.content import ContentReader
from bot.kit.countries import CountrySuggestion
from bot.kit.safe_text import escape_data as md
from bot.kit.safe_text import typed_text

# Keep a margin under the hard total so that a footer always fits.
EMBED_BUDGET = Limits.EMBED_TOTAL - 500
FOOTER_MAX = 300
# What an answer repeats of a country name a person typed (privately only).
TYPED_SHOWN = 60

Link = tuple[str, str]  # a link button: (label, https URL)


@dataclass(frozen=True, slots=True)
class Page:
    """One message: a card and its link buttons."""

    card: Card
    links: tuple[Link, ...] = ()


def bold_number(number: str) -> str:
    return f"**{md(number)}**"


def _domain(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host


def reader_for(tr: Tr) -> ContentReader:
    """The data's prose for one answer, in `tr`'s language."""
    return ContentReader(tr.locale)


def untranslated_note(tr: Tr) -> str:
    return f"*{tr(common.NOT_TRANSLATED)}*"


def _label(read: ContentReader | None, entry: Hotline, label: str) -> str:
    """A number's label ("police") in the reader's language."""
    if read is None or not label:
        return label
    return read(label, entry.translations, label_key(label))


def phone_text(phone: Phone, label: str | None = None) -> str:
    """The number in bold and its label (`label`: the label in the reader's
    language; by default the English)."""
    shown = phone.label if label is None else label
    label_text = f" ({md(shown)})" if shown else ""
    return f"{bold_number(phone.number)}{label_text}"


def text_route(tr: Tr, route: TextLine, label: str | None = None) -> str:
    shown = route.label if label is None else label
    if route.keyword:
        line = tr(text.TEXT_KEYWORD, keyword=f"**{md(route.keyword)}**",
                  number=bold_number(route.number))
    else:
        line = tr(text.TEXT_NUMBER, number=bold_number(route.number))
    if route.channel != "SMS":
        line += tr(text.TEXT_CHANNEL, channel=md(route.channel))
    return f"{line} ({md(shown)})" if shown else line


def source_text(tr: Tr, entry: Hotline) -> str:
    checked = f"{tr(text.LABEL_CHECKED)}: {entry.checked.isoformat()}"
    shown = shown_source(entry)
    if shown.url:
        link = f"[{md(_domain(shown.url))}]({shown.url})"
        if shown.more:
            link += tr.plural(text.SOURCE_MORE_ONE, text.SOURCE_MORE_OTHER, shown.more)
        return f"{tr(text.LABEL_SOURCE)}: {link} \u00b7 {checked}"
    if shown.sites:
        # Pages read without an https address: their sites, as plain text.
        return f"{tr(text.LABEL_SOURCE)}: {md(', '.join(shown.sites))} \u00b7 {checked}"
    return checked


def _service(read: ContentReader, entry: Hotline) -> str:
    """The line's heading in the reader's language (a name stays as it is)."""
    return read(entry.service, entry.translations, "service")


def _region(read: ContentReader, entry: Hotline) -> str:
    return read(entry.region, entry.translations, "region") if entry.region else ""


def line_parts(
    tr: Tr, entry: Hotline, read: ContentReader | None = None
) -> tuple[list[str], list[str]]:
    """The text of one line: essentials (always shown) and extras (if room)."""
    read = read or reader_for(tr)
    essentials: list[str] = [f"*{md(entry.organisation)}*"]
    if entry.region:
        essentials.append(tr(text.REGION_LABEL, region=md(_region(read, entry))))
    if entry.phones:
        # A long list of numbers goes on in a new part, never cut in the middle.
        phones = [phone_text(p, _label(read, entry, p.label)) for p in entry.phones]
        essentials.extend(pack_lines(phones, Limits.FIELD_VALUE,
                                     separator=" \u00b7 ", prefix=f"{tr(text.LABEL_CALL)}: "))
    essentials.extend(text_route(tr, t, _label(read, entry, t.label)) for t in entry.texts)
    if entry.chat_url:
        essentials.append(
            f"{tr(text.LABEL_CHAT)}: [{md(_domain(entry.chat_url))}]({entry.chat_url})")
    if entry.website:
        essentials.append(
            f"{tr(text.LABEL_WEBSITE)}: [{md(_domain(entry.website))}]({entry.website})")
    hours = read(entry.hours, entry.translations, "hours")
    essentials.append(f"{tr(text.LABEL_HOURS)}: {md(hours)}")
    safety = read.items(entry.safety_notes, entry.translations, "safety_notes")
    essentials.extend(f"\u26a0\ufe0f {tr(text.LABEL_SAFETY)}: {md(n)}" for n in safety)
    essentials.append(source_text(tr, entry))
    cost = read(entry.cost, entry.translations, "cost")
    extras: list[str] = [f"{tr(text.LABEL_COST)}: {md(cost)}"]
    languages = read.items(entry.languages, entry.translations, "languages")
    extras.append(f"{tr(text.LABEL_LANGUAGES)}: {md(', '.join(languages))}")
    extras.extend(md(n) for n in read.items(entry.notes, entry.translations, "notes"))
    return essentials, extras


def line_fields(tr: Tr, entry: Hotline, read: ContentReader | None = None) -> list[Field]:
    """One embed field for a line (two if its essentials alone are too long).

    Never cuts a number in half: whole parts move to a continuation field."""
    read = read or reader_for(tr)
    name = truncate(_service(read, entry), Limits.FIELD_NAME - 40)
    if entry.region:
        name = truncate(f"{name} ({_region(read, entry)})", Limits.FIELD_NAME - 20)
    essentials, extras = line_parts(tr, entry, read)
    chunks = pack_lines(essentials, Limits.FIELD_VALUE)
    for part in extras:
        if len(f"{chunks[-1]}\n{part}") <= Limits.FIELD_VALUE:
            chunks[-1] += f"\n{part}"
    fields = [Field(md(name), chunks[0])]
    fields.extend(Field(md(tr(common.CONTINUED, title=name)), c) for c in chunks[1:])
    return fields


# ---------------------------------------------------------------- emergency first


def general_emergency_text(tr: Tr) -> str:
    return tr(text.DANGER_GENERAL, findahelpline=FINDAHELPLINE_URL)


def emergency_guidance(
    tr: Tr, result: LookupResult | None, read: ContentReader | None = None
) -> str:
    """How to get emergency help: the first words of every support answer. The
    country's checked number (`result`), else the general line (also for no
    country: None). With `read`, an English note or label is the caller's to
    mark (it adds the answer's one note); without it, the guidance ends with
    the note itself when it shows English."""
    if read is None:
        read = reader_for(tr)
        guidance = emergency_guidance(tr, result, read)
        return f"{guidance}\n{untranslated_note(tr)}" if read.missing else guidance
    heading = f"**{tr(text.DANGER_HEADING)}**"
    if result is None:
        return f"{heading}\n{general_emergency_text(tr)}"
    if not result.emergency:
        missing = tr(text.DANGER_NO_NUMBER, country=result.country_text)
        return f"{heading}\n{missing} {general_emergency_text(tr)}"
    numbers: list[str] = []
    routes: list[str] = []
    notes: list[str] = []
    for entry in result.emergency:
        where = f" ({md(_region(read, entry))})" if entry.region else ""
        numbers.extend(phone_text(p, _label(read, entry, p.label)) + where for p in entry.phones)
        routes.extend(text_route(tr, t, _label(read, entry, t.label)) + where
                      for t in entry.texts)
        notes.extend(md(n) for n in (
            *read.items(entry.safety_notes, entry.translations, "safety_notes"),
            *read.items(entry.notes, entry.translations, "notes")))
    call = tr(text.DANGER_CALL, numbers=f" {tr(text.OR)} ".join(numbers))
    return "\n".join([heading, call, *routes, *notes])


# ---------------------------------------------------------------- /hotline


def _link_label(tr: Tr, msgid: str, name: str) -> str:
    return truncate(tr(msgid, name=name), Limits.BUTTON_LABEL)


def _entry_links(tr: Tr, entry: Hotline) -> list[Link]:
    short = entry.organisation.split(" (")[0]
    links = []
    if entry.chat_url:
        links.append((_link_label(tr, text.BUTTON_CHAT, short), entry.chat_url))
    if entry.website:
        links.append((_link_label(tr, text.BUTTON_WEBSITE, short), entry.website))
    return links


def _dedupe(links: Iterable[Link]) -> tuple[Link, ...]:
    seen: set[str] = set()
    unique = []
    for label, url in links:
        if url not in seen:
            seen.add(url)
            unique.append((label, url))
    return tuple(unique[:Limits.BUTTONS_PER_MESSAGE])


def _oldest_check(result: LookupResult) -> str:
    entries = [*result.emergency, *result.lines, *result.other_ways, *result.crisis_by_contact]
    return min(e.checked for e in entries).isoformat() if entries else ""


def topic_in_sentence(tr: Tr, msgid: str, topic: str) -> str:
    """A topic's name inside the sentence `msgid`: lower case in the English
    ("a checked sexual assault line"); a translation quotes the name as it is
    written, since lower case would misspell it in some languages (German nouns)."""
    return topic if tr.lookup(msgid) else topic.lower()


def _contact_parts(tr: Tr, result: LookupResult, topic: str) -> list[str]:
    """What the answer says about the way of contact asked for (none for any way)."""
    contact = result.contact
    if contact == ANY:
        return []
    parts = []
    if result.unreachable and result.topic == EMERGENCY:
        parts.append(tr(text.NO_EMERGENCY_BY_CONTACT[contact], country=result.country_text))
    elif result.unreachable:
        msgid = text.NO_LINE_BY_CONTACT[contact]
        parts.append(tr(msgid, topic=topic_in_sentence(tr, msgid, topic),
                        country=result.country_text))
    elif result.lines:
        parts.append(tr(text.ONLY_BY_CONTACT[contact]))
    # Not when it would repeat the list of topics a "nothing verified" answer gives.
    repeats = result.nothing_verified and result.contact_topics == result.other_topics
    if result.contact_topics and not repeats:
        names = ", ".join(tr(TOPIC_LABELS[t]) for t in result.contact_topics)
        parts.append(tr(text.TOPICS_BY_CONTACT[contact], country=result.country_text,
                        topics=names))
    return parts


def _fields(
    tr: Tr, result: LookupResult, read: ContentReader
) -> list[tuple[list[Field], list[Link], bool]]:
    """The fields of the answer, a group per line (kept on one page): the
    topic's lines (or, when none can be reached the way asked, the other ways to
    reach them), then the crisis lines reachable that way; each with its links
    and whether it shows some of the data's prose in English."""
    groups = []
    for entry in result.lines or result.other_ways:
        entry_read = read.fresh()
        groups.append((line_fields(tr, entry, entry_read), _entry_links(tr, entry),
                       entry_read.missing))
    for index, entry in enumerate(result.crisis_by_contact):
        entry_read = read.fresh()
        fields = line_fields(tr, entry, entry_read)
        if index == 0:  # the heading goes with the first line, on the same page
            heading = tr(text.CRISIS_BY_CONTACT[result.contact], country=result.country_text)
            fields.insert(0, Field(truncate(heading, Limits.FIELD_NAME),
                                   tr(text.CRISIS_BY_CONTACT_NOTE)))
        groups.append((fields, _entry_links(tr, entry), entry_read.missing))
    return groups


@dataclass
class _Draft:
    """A page while it is being filled."""

    title: str
    description: str = ""
    fields: list[Field] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    untranslated: bool = False  # shows some of the data's prose in English

    def size(self) -> int:
        return Card(self.title, self.description, tuple(self.fields)).size()


def render_hotline(tr: Tr, result: LookupResult) -> list[Page]:
    """The /hotline answer as one or more messages, each within Discord's limits."""
    topic = tr(TOPIC_LABELS[result.topic])
    title = truncate(tr(text.TITLE_TOPIC, topic=topic, country=result.country_text),
                     Limits.EMBED_TITLE)
    read = reader_for(tr)
    parts = [emergency_guidance(tr, result, read)]
    if result.topic == CRISIS:
        shown = result.lines or result.other_ways
        parts.append(tr(text.CRISIS_INTRO if shown else text.CRISIS_INTRO_NO_LINES))
    if result.nothing_verified and not result.country_has_lines:
        parts.append(tr(text.NOTHING_VERIFIED_COUNTRY, country=result.country_text,
                        findahelpline=FINDAHELPLINE_URL))
    elif result.nothing_verified:
        parts.append(tr(text.NOTHING_VERIFIED,
                        topic=topic_in_sentence(tr, text.NOTHING_VERIFIED, topic),
                        country=result.country_text, findahelpline=FINDAHELPLINE_URL))
        if result.other_topics:
            names = ", ".join(tr(TOPIC_LABELS[t]) for t in result.other_topics)
            parts.append(tr(text.OTHER_TOPICS, country=result.country_text, topics=names))
    parts.extend(_contact_parts(tr, result, topic))
    parts.append(tr(text.SHOWING_COUNTRY, country=result.country_text))
    description = truncate("\n\n".join(parts), Limits.EMBED_DESCRIPTION)
    checked = _oldest_check(result)
    footer = truncate(tr(text.CHECKED_NOTE, date=checked), FOOTER_MAX) if checked else ""

    first = _Draft(title, description, untranslated=read.missing)
    if result.nothing_verified or not result.emergency:
        first.links.append((tr(text.BUTTON_FINDAHELPLINE), FINDAHELPLINE_URL))
    drafts = [first]
    for fields, links, missing in _fields(tr, result, read):
        page = drafts[-1]
        size = sum(len(f.name) + len(f.value) for f in fields)
        too_many = len(page.fields) + len(fields) > Limits.EMBED_FIELDS
        too_long = page.size() + size + len(footer) > EMBED_BUDGET
        urls = {url for _, url in [*page.links, *links]}
        too_many_links = len(urls) > Limits.BUTTONS_PER_MESSAGE
        if too_many or too_long or too_many_links:
            page = _Draft(truncate(tr(common.CONTINUED, title=title), Limits.EMBED_TITLE))
            drafts.append(page)
        page.fields.extend(fields)
        page.links.extend(links)
        page.untranslated = page.untranslated or missing
    pages = []
    for number, page in enumerate(drafts, start=1):
        page_note = tr(text.PAGE_FOOTER, page=number, pages=len(drafts))
        footer_text = f"{footer} {page_note}".strip() if len(drafts) > 1 else footer
        if page.untranslated:
            # Above the checked note, which a long translation of it may have cut short.
            footer_text = "\n".join([tr(common.NOT_TRANSLATED), footer_text]).strip()
        card = Card(page.title, page.description, tuple(page.fields), footer_text)
        pages.append(Page(card, _dedupe(page.links)))
    return pages


def no_country_card(tr: Tr) -> Card:
    """The answer when no country is known: general guidance, then a menu (the cog's)."""
    description = "\n\n".join([emergency_guidance(tr, None), tr(text.NO_COUNTRY),
                               tr(text.NO_COUNTRY_MENU_MORE)])
    return Card(tr(text.NO_COUNTRY_TITLE), description)


def unknown_country_card(
    tr: Tr, typed: str, guesses: Sequence[CountrySuggestion]
) -> Card:
    """The answer to a country nobody could find. It repeats what the person typed
    (cleaned): send it privately only."""
    shown = typed_text(typed, TYPED_SHOWN)
    parts = [
        emergency_guidance(tr, None),
        tr(text.UNKNOWN_COUNTRY, text=shown) if shown else tr(text.UNKNOWN_COUNTRY_PLAIN),
    ]
    if guesses:
        names = ", ".join(f"{md(s.name)} ({s.code})" for s in guesses)
        parts.append(tr(text.UNKNOWN_COUNTRY_SUGGESTIONS, names=names))
    return Card(tr(text.NO_COUNTRY_TITLE), "\n\n".join(parts))


# ---------------------------------------------------------------- for /resources


def compact_line(tr: Tr, entry: Hotline, read: ContentReader | None = None) -> str:
    """A line in one bullet: its service, region and ways to reach it."""
    read = read or reader_for(tr)
    where = f" ({md(_region(read, entry))})" if entry.region else ""
    ways = []
    if entry.phones:
        ways.append(f"{tr(text.LABEL_CALL)} " + " \u00b7 ".join(
            phone_text(p, _label(read, entry, p.label)) for p in entry.phones))
    ways.extend(text_route(tr, t, _label(read, entry, t.label)) for t in entry.texts)
    if entry.website:
        ways.append(f"[{md(_domain(entry.website))}]({entry.website})")
    return f"\u2022 **{md(_service(read, entry))}**{where}: " + "; ".join(ways)


def country_lines(tr: Tr, country_text: str, entries: Sequence[Hotline]) -> list[str]:
    """A country's lines in brief, one bullet each; where it has none, says so
    and points to findahelpline.com instead of showing an empty list."""
    if not entries:
        return [tr(text.NOTHING_VERIFIED_COUNTRY, country=country_text,
                   findahelpline=FINDAHELPLINE_URL)]
    read = reader_for(tr)
    lines = [compact_line(tr, e, read) for e in entries]
    return [*lines, untranslated_note(tr)] if read.missing else lines


def directory_lines(tr: Tr, directories: Sequence[DirectoryLink]) -> list[str]:
    """The international directories, one bullet each, described in `tr`'s language."""
    read = reader_for(tr)
    lines = [
        f"\u2022 [{md(d.name)}]({d.website}): "
        f"{md(read(d.description, d.translations, 'description'))}"
        for d in directories
    ]
    return [*lines, untranslated_note(tr)] if read.missing else lines
