"""Every user-facing string of the hotline feature.

Tone: calm, plain and kind. The reader may be in distress or in danger. Crisis
wording follows safe-messaging guidance: no method details, hopeful,
help-seeking ("support is available", "you deserve support"), and it never
pressures anyone to disclose or to act.
"""

from __future__ import annotations

from typing import Final

# Topic choices for /hotline (name shown in Discord, value stored). The values
# are the ones the core module uses; the order is the order of the menu.
TOPIC_CHOICES: Final[tuple[tuple[str, str], ...]] = (
    ("Sexual assault", "sexual-assault"),
    ("Sexual harassment at work", "harassment-at-work"),
    ("Domestic violence", "domestic-violence"),
    ("Crisis and suicide", "crisis"),
    ("LGBTQ+", "lgbtq"),
    ("Children and young people", "youth"),
    ("Emergency", "emergency"),
)
TOPIC_LABELS: Final[dict[str, str]] = {value: name for name, value in TOPIC_CHOICES}

# --- headings --------------------------------------------------------------

TITLE: Final = "Support in {country}"
TITLE_TOPIC: Final = "{topic} support in {country}"
RESOURCES_TITLE: Final = "Support resources"
DIRECTORIES_HEADING: Final = "International directories"
COMMUNITY_HEADING: Final = "From this community's admins"
COMMUNITY_NOTE: Final = "Added by this community's admins, not checked by the bot's maintainers."
PAGE_FOOTER: Final = "Page {page} of {pages}"

# --- emergency (SPEC section 2: first in every support answer) ---------------

DANGER_HEADING: Final = "If you are in danger right now"
DANGER_CALL: Final = "Call {numbers}."
# The general line: where the bot has no checked emergency number for the
# country, or does not know the country. 112 is the EU's single emergency
# number and is routed to the local emergency services by many mobile networks
# outside the EU too.
DANGER_GENERAL: Final = (
    "Call your local emergency number; 112 works from mobiles in the EU and many "
    "other countries. {findahelpline} lists support lines by country."
)
DANGER_NO_NUMBER: Final = "We don't have a checked emergency number for {country} yet."

# --- the country -----------------------------------------------------------

SHOWING_COUNTRY: Final = (
    "Showing {country}. For another country, use `/hotline country:` and start typing its name."
)
REGION_LABEL: Final = "Region: {region}"

# --- no country known ------------------------------------------------------

NO_COUNTRY_TITLE: Final = "Find support near you"
NO_COUNTRY: Final = (
    "You are not alone, and support is available. We don't know which country "
    "you're in, so we haven't guessed.\n\n"
    "Choose your country below, or use `/hotline country:`."
)
NO_COUNTRY_MENU_PLACEHOLDER: Final = "Choose your country"
NO_COUNTRY_MENU_MORE: Final = "Not in the list? Use `/hotline country:` and type its name."

# --- unknown country -------------------------------------------------------

UNKNOWN_COUNTRY: Final = (
    "We couldn't find a country called \u201c{text}\u201d. Try its English name, "
    "its two-letter code (for example `GB` or `DE`) or its flag, or choose from the list below."
)
UNKNOWN_COUNTRY_PLAIN: Final = (
    "We couldn't find that country. Try its English name, its two-letter code "
    "(for example `GB` or `DE`) or its flag, or choose from the list below."
)
UNKNOWN_COUNTRY_SUGGESTIONS: Final = "Did you mean: {names}?"

# --- nothing verified ------------------------------------------------------

NOTHING_VERIFIED: Final = (
    "We don't have a checked {topic} line for {country} yet, and we would rather "
    "show nothing than a number we are not sure of. {findahelpline} lists local "
    "services you can contact."
)
OTHER_TOPICS: Final = "We do have checked lines in {country} for: {topics}. Use `/hotline topic:`."
NOTHING_VERIFIED_COUNTRY: Final = (
    "We don't have checked support lines for {country} yet, and we would rather "
    "show nothing than a number we are not sure of. {findahelpline} lists local "
    "services you can contact."
)

# --- crisis (safe messaging) -------------------------------------------------

CRISIS_INTRO: Final = (
    "If you are thinking about suicide or feel you can't go on, you deserve "
    "support, and talking to someone can help. These services are free to "
    "contact and will listen without judging you."
)

CRISIS_INTRO_NO_LINES: Final = (
    "If you are thinking about suicide or feel you can't go on, you deserve "
    "support, and talking to someone can help."
)

# --- field labels ----------------------------------------------------------

LABEL_CALL: Final = "Call"
LABEL_TEXT: Final = "Text"
LABEL_CHAT: Final = "Chat"
LABEL_WEBSITE: Final = "Website"
LABEL_HOURS: Final = "Hours"
LABEL_COST: Final = "Cost"
LABEL_LANGUAGES: Final = "Languages"
LABEL_SAFETY: Final = "Please note"
LABEL_SOURCE: Final = "Source"
LABEL_CHECKED: Final = "Last checked"
SOURCE_MORE: Final = " and {count} more"
TEXT_KEYWORD: Final = "Text {keyword} to {number}"
TEXT_NUMBER: Final = "Text {number}"
TEXT_CHANNEL: Final = " ({channel})"
SHORT_CODE_NOTE: Final = "Short numbers only work from a phone inside {country}."
BUTTON_CHAT: Final = "Chat: {name}"
BUTTON_WEBSITE: Final = "{name}"
BUTTON_FINDAHELPLINE: Final = "findahelpline.com"
CHECKED_NOTE: Final = (
    "Numbers checked against public sources on {date}. Services change: if a "
    "number doesn't work, please try the website or findahelpline.com."
)

# --- errors ----------------------------------------------------------------

GENERIC_ERROR: Final = (
    "Sorry, something went wrong on our side. If you need help now, please call "
    "your local emergency number or visit {findahelpline}."
)

# --- /resources ------------------------------------------------------------

RESOURCES_LINES_TITLE: Final = "Support lines in {country}"
RESOURCES_MORE: Final = (
    "For hours, costs, languages and sources, use `/hotline` (it also covers other topics)."
)
RESOURCES_TITLE_COUNTRY: Final = "Support resources for {country}"
RESOURCES_NO_COUNTRY: Final = (
    "This community has not set its country, so we can't list local support lines "
    "here. An admin can set it with `/config country`, and anyone can use "
    "`/hotline country:`."
)
RESOURCE_CALL: Final = "Call {phone}"
RESOURCES_STORAGE_UNAVAILABLE: Final = (
    "This community's own resources can't be read just now. The lines below are still up to date."
)

# --- command and option descriptions (shown in Discord's command picker) ----

HOTLINE_DESCRIPTION: Final = "Support lines for your country: call, text or chat."
HOTLINE_COUNTRY: Final = "Country (type a name or code). Default: this community's country."
HOTLINE_TOPIC: Final = "What kind of support. Default: sexual assault."
PUBLIC_OPTION: Final = "Post the answer visibly in the channel (default: only you see it)."
RESOURCES_DESCRIPTION: Final = (
    "This community's resources, local support lines and international directories."
)
