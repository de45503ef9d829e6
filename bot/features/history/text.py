"""Every user-facing string of /history, in one place.

Kept apart from the logic so wording can be reviewed (and later translated) without
reading code. Readers may be survivors: plain, calm words, no pressure, no graphic detail.
Nothing here imports discord or the rest of the bot.
"""

from __future__ import annotations

from typing import Final

# Shown before any history content, as the message text above the embed.
CONTENT_NOTE: Final = (
    "**Content note:** this mentions sexual harassment and sexual assault, without graphic "
    "detail. Take your time, and stop whenever you like. If you would like support, "
    "`/hotline` lists services you can reach."
)

OVERVIEW_TITLE: Final = "The Me Too movement"
TIMELINE_TITLE: Final = "Timeline of the Me Too movement"
TIMELINE_TITLE_YEAR: Final = "Timeline of the Me Too movement: {year}"
TIMELINE_TITLE_CATEGORY: Final = "Timeline of the Me Too movement: {category}"
TIMELINE_TITLE_BOTH: Final = "Timeline of the Me Too movement: {category}, {year}"
SOURCES_TITLE: Final = "Sources of the history content"
SOURCES_INTRO: Final = (
    "Every date and fact in `/history` comes from these public pages. Where sources "
    "disagree, the bot says only what they agree on."
)

FIELD_SOURCES: Final = "Sources"
FIELD_SOURCES_MORE: Final = "Sources (continued)"
FIELD_PEOPLE: Final = "People and names"
FIELD_EVENTS: Final = "On the timeline"
FIELD_EVENTS_MORE: Final = "On the timeline (continued)"

# Footers. "{page}"/"{pages}" are 1-based.
PAGE_FOOTER: Final = "Page {page} of {pages} · {count}"
EVENTS_ONE: Final = "{count} event"
EVENTS_OTHER: Final = "{count} events"
SOURCES_ONE: Final = "{count} source"
SOURCES_OTHER: Final = "{count} sources"
# Beside a court outcome that can still change (appeals, retrials).
OUTCOME_AS_OF: Final = "(Outcome as of {as_of}.)"

# Kind answers when there is nothing to show.
NO_EVENTS_YEAR: Final = (
    "There are no events on this timeline for {year}. The timeline covers {first} to "
    "{last}, with most events in 2017 and 2018. You can try another year, or leave the "
    "year out to see everything."
)
NO_EVENTS_YEAR_CATEGORY: Final = (
    "There are no events in “{category}” for {year}. You can try another year or "
    "category, or leave them out to see everything."
)
NO_EVENTS_CATEGORY: Final = (
    "There are no events in that category. You can leave the category out to see everything."
)
TOPIC_NOT_FOUND: Final = (
    "I could not find that topic. You can pick one from the list as you type, for "
    "example: {examples}."
)

# Timeline page buttons (SPEC section 8: the labels are part of the contract).
BUTTON_PREVIOUS: Final = "Previous"
BUTTON_NEXT: Final = "Next"

# A page button pressed by someone other than the person who asked.
NOT_YOUR_PAGES: Final = (
    "These pages belong to the person who asked for them, so they stay as they are. "
    "You can open your own with `/history timeline`."
)
# A page button from an old message whose pages no longer line up with the data.
PAGES_EXPIRED: Final = (
    "These pages are out of date. You can open them again with `/history timeline`."
)
SOURCES_PAGES_EXPIRED: Final = (
    "These pages are out of date. You can open them again with `/history sources`."
)

# Dates. Day first and the month in words, so no reader mistakes 5/10 for 10 May.
MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DATE_DAY: Final = "{day} {month} {year}"
DATE_MONTH: Final = "{month} {year}"
DATE_YEAR: Final = "{year}"
DATE_APPROXIMATE: Final = "around {date}"
DATE_RANGE: Final = "{start} – {end}"
DATE_RANGE_DAYS: Final = "{first}–{last} {month} {year}"
DATE_RANGE_YEARS: Final = "{first}–{last}"

# One timeline entry: "15 October 2017 · Alyssa Milano's tweet".
EVENT_NAME: Final = "{date} · {title}"
SOURCE_LINK: Final = "[{host}]({url})"
SOURCE_SEPARATOR: Final = " · "
EVENT_SOURCES: Final = "Sources: {links}"
EVENT_LINE: Final = "• {date}: {title}"
BULLET_LINK: Final = "• {link}"
