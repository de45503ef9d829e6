"""Texts of /history (msgids of the translator).

Kept apart from the logic so wording can be reviewed and translated without
reading code. Readers may be survivors: plain, calm words, no pressure, no
graphic detail. The content itself (overview, events, topics, category labels)
is data, in data/history.toml.
"""

from __future__ import annotations

from bot.i18n.translator import N_, NP_, S_

# Command, option and choice descriptions (Discord shows them in its command picker).
GROUP_DESCRIPTION = N_("The history of the Me Too movement, with sources.")
OVERVIEW_DESCRIPTION = N_("What the movement is and how it began.")
TIMELINE_DESCRIPTION = N_("Dated events, each with its sources.")
TOPIC_DESCRIPTION = N_("One topic or person in depth.")
SOURCES_DESCRIPTION = N_("The sources this history is drawn from.")
YEAR_OPTION = N_("Only events from this year, for example 2017.")
CATEGORY_OPTION = N_("Only events of this kind.")
NAME_OPTION = N_("Start typing: a topic, a person, a country or a hashtag.")
PUBLIC_OPTION = N_("Post the answer in the channel (default: only you see it).")

# Shown before any history content, as the message text above the embed.
CONTENT_NOTE = S_(
    "**Content note:** this mentions sexual harassment and sexual assault, without graphic "
    "detail. Take your time, and stop whenever you like. If you would like support, "
    "`/hotline` lists services you can reach."
)

OVERVIEW_TITLE = N_("The Me Too movement")
TIMELINE_TITLE = N_("Timeline of the Me Too movement")
TIMELINE_TITLE_YEAR = N_("Timeline of the Me Too movement: {year}")
TIMELINE_TITLE_CATEGORY = N_("Timeline of the Me Too movement: {category}")
TIMELINE_TITLE_BOTH = N_("Timeline of the Me Too movement: {category}, {year}")
SOURCES_TITLE = N_("Sources of the history content")
SOURCES_INTRO = N_(
    "Every date and fact in `/history` comes from these public pages. Where sources "
    "disagree, the bot says only what they agree on."
)

FIELD_SOURCES = N_("Sources")
FIELD_SOURCES_MORE = N_("Sources (continued)")
FIELD_PEOPLE = N_("People and names")
FIELD_EVENTS = N_("On the timeline")
FIELD_EVENTS_MORE = N_("On the timeline (continued)")

# Footers. "{page}"/"{pages}" are 1-based; {count} is EVENTS_* or SOURCES_*.
PAGE_FOOTER = N_("Page {page} of {pages} · {count}")
EVENTS_ONE, EVENTS_OTHER = NP_("{count} event", "{count} events")
SOURCES_ONE, SOURCES_OTHER = NP_("{count} source", "{count} sources")
# Beside a court outcome that can still change (appeals, retrials).
OUTCOME_AS_OF = N_("(Outcome as of {as_of}.)")
# One timeline entry's sources, and one line of a topic's events.
EVENT_SOURCES = N_("Sources: {links}")
EVENT_LINE = N_("• {date}: {title}")

# Kind answers when there is nothing to show.
NO_EVENTS_YEAR = N_(
    "There are no events on this timeline for {year}. The timeline covers {first} to "
    "{last}, with most events in 2017 and 2018. You can try another year, or leave the "
    "year out to see everything."
)
NO_EVENTS_YEAR_CATEGORY = N_(
    "There are no events in “{category}” for {year}. You can try another year or "
    "category, or leave them out to see everything."
)
NO_EVENTS_CATEGORY = N_(
    "There are no events in that category. You can leave the category out to see everything."
)
TOPIC_NOT_FOUND = N_(
    "I could not find that topic. You can pick one from the list as you type, for "
    "example: {examples}."
)

# Page buttons of the timeline and the sources (people and tests press them by name).
BUTTON_PREVIOUS = N_("Previous")
BUTTON_NEXT = N_("Next")

# A page button pressed by someone other than the person who asked.
NOT_YOUR_PAGES = N_(
    "These pages belong to the person who asked for them, so they stay as they are. "
    "You can open your own with `/history timeline`."
)
# A page button from an old message whose pages no longer line up with the data.
PAGES_EXPIRED = N_(
    "These pages are out of date. You can open them again with `/history timeline`."
)
SOURCES_PAGES_EXPIRED = N_(
    "These pages are out of date. You can open them again with `/history sources`."
)

# Dates are data; their words and word order are not. Day first and the month in
# words, so no reader mistakes 5/10 for 10 May.
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
DATE_DAY = N_("{day} {month} {year}")
DATE_DAY_MONTH = N_("{day} {month}")  # the first end of a range within one year
DATE_MONTH = N_("{month} {year}")
DATE_YEAR = N_("{year}")
DATE_APPROXIMATE = N_("around {date}")
DATE_RANGE = N_("{start} – {end}")
DATE_RANGE_DAYS = N_("{first}–{last} {month} {year}")
DATE_RANGE_YEARS = N_("{first}–{last}")
