"""Texts of /hotline (msgids of the translator). Topic labels are in topics.py.

Tone: calm, plain and kind. The reader may be in distress or in danger. Crisis
wording follows safe-messaging guidance: no method details, hopeful,
help-seeking ("support is available", "you deserve support"), and it never
pressures anyone to disclose or to act.
"""

from bot.i18n.translator import N_, NP_, S_

# --- command and option descriptions (shown in Discord's command picker) ----

HOTLINE_DESCRIPTION = N_("Support lines for your country: call, text or chat.")
HOTLINE_COUNTRY = N_("Country (type a name or code). Default: this community's country.")
HOTLINE_TOPIC = N_("What kind of support. Default: sexual assault.")
HOTLINE_CONTACT = N_("How you want to reach them: call, text or online chat. Default: any way.")

# --- headings --------------------------------------------------------------

TITLE_TOPIC = N_("{topic} support in {country}")
PAGE_FOOTER = N_("Page {page} of {pages}")

# --- emergency: first in every support answer --------------------------------

DANGER_HEADING = S_("If you are in danger right now")
DANGER_CALL = S_("Call {numbers}.")
# Between two emergency numbers: "Call 999 or 112."
OR = N_("or")
# The general line: where the bot has no checked emergency number for the
# country, or does not know the country. 112 is the EU's single emergency
# number and is routed to the local emergency services by many mobile networks
# outside the EU too.
DANGER_GENERAL = S_(
    "Call your local emergency number; 112 works from mobiles in the EU and many "
    "other countries. {findahelpline} lists support lines by country."
)
DANGER_NO_NUMBER = S_("We don't have a checked emergency number for {country} yet.")

# --- the country -----------------------------------------------------------

SHOWING_COUNTRY = N_(
    "Showing {country}. For another country, use `/hotline country:` and start typing its name."
)
REGION_LABEL = N_("Region: {region}")

# --- no country known ------------------------------------------------------

NO_COUNTRY_TITLE = N_("Find support near you")
NO_COUNTRY = S_(
    "You are not alone, and support is available. We don't know which country "
    "you're in, so we haven't guessed.\n\n"
    "Choose your country below, or use `/hotline country:`."
)
NO_COUNTRY_MENU_PLACEHOLDER = N_("Choose your country")
NO_COUNTRY_MENU_MORE = N_("Not in the list? Use `/hotline country:` and type its name.")

# --- unknown country -------------------------------------------------------

UNKNOWN_COUNTRY = N_(
    "We couldn't find a country called \u201c{text}\u201d. Try its English name, "
    "its two-letter code (for example `GB` or `DE`) or its flag, or choose from the list below."
)
UNKNOWN_COUNTRY_PLAIN = N_(
    "We couldn't find that country. Try its English name, its two-letter code "
    "(for example `GB` or `DE`) or its flag, or choose from the list below."
)
UNKNOWN_COUNTRY_SUGGESTIONS = N_("Did you mean: {names}?")

# --- nothing verified ------------------------------------------------------

NOTHING_VERIFIED = N_(
    "We don't have a checked {topic} line for {country} yet, and we would rather "
    "show nothing than a number we are not sure of. {findahelpline} lists local "
    "services you can contact."
)
OTHER_TOPICS = N_("We do have checked lines in {country} for: {topics}. Use `/hotline topic:`.")
NOTHING_VERIFIED_COUNTRY = N_(
    "We don't have checked support lines for {country} yet, and we would rather "
    "show nothing than a number we are not sure of. {findahelpline} lists local "
    "services you can contact."
)

# --- a way of contact (the contact option) -----------------------------------
# Keyed by the option's value (topics.CONTACTS); "any" shows every line.

# The topic has lines, but none can be reached the way the person asked.
NO_LINE_BY_CONTACT = {
    "call": N_(
        "We don't have a checked {topic} line in {country} that you can call. "
        "Below are the other ways to reach one."
    ),
    "text": N_(
        "We don't have a checked {topic} line in {country} that you can text. "
        "Below are the other ways to reach one."
    ),
    "chat": N_(
        "We don't have a checked {topic} line in {country} with an online chat. "
        "Below are the other ways to reach one."
    ),
}
# The same for the emergency topic, whose numbers are shown first anyway.
NO_EMERGENCY_BY_CONTACT = {
    "call": N_("We don't have a checked emergency number to call in {country}."),
    "text": N_(
        "We don't have a checked way to text the emergency services in {country}: "
        "the numbers above are for calls."
    ),
    "chat": N_(
        "We don't have a checked online chat for the emergency services in {country}: "
        "the numbers above are for calls."
    ),
}
# The list shows only the lines reachable that way.
ONLY_BY_CONTACT = {
    "call": N_("Below are only the lines you can call. Leave out `contact:` to see every way."),
    "text": N_(
        "Below are only the lines you can text (by SMS or a messaging app). "
        "Leave out `contact:` to see every way."
    ),
    "chat": N_(
        "Below are only the lines with an online chat. Leave out `contact:` to see every way."
    ),
}
# The heading of the crisis lines reachable that way, shown when the topic has none.
CRISIS_BY_CONTACT = {
    "call": N_("Crisis lines you can call in {country}"),
    "text": N_("Crisis lines you can text in {country}"),
    "chat": N_("Crisis lines with an online chat in {country}"),
}
CRISIS_BY_CONTACT_NOTE = S_(
    "Crisis lines are there for anyone who is struggling, not only with thoughts of suicide."
)
# Other topics with lines reachable that way.
TOPICS_BY_CONTACT = {
    "call": N_(
        "In {country} you can also call lines for: {topics}. "
        "Use `/hotline topic:` with `contact:call`."
    ),
    "text": N_(
        "In {country} you can also text lines for: {topics}. "
        "Use `/hotline topic:` with `contact:text`."
    ),
    "chat": N_(
        "In {country} there are also lines with an online chat for: {topics}. "
        "Use `/hotline topic:` with `contact:chat`."
    ),
}

# --- crisis (safe messaging) -------------------------------------------------

CRISIS_INTRO = S_(
    "If you are thinking about suicide or feel you can't go on, you deserve "
    "support, and talking to someone can help. These services are free to "
    "contact and will listen without judging you."
)
CRISIS_INTRO_NO_LINES = S_(
    "If you are thinking about suicide or feel you can't go on, you deserve "
    "support, and talking to someone can help."
)

# --- a line ----------------------------------------------------------------

LABEL_CALL = N_("Call")
LABEL_CHAT = N_("Chat")
LABEL_WEBSITE = N_("Website")
LABEL_HOURS = N_("Hours")
LABEL_COST = N_("Cost")
LABEL_LANGUAGES = N_("Languages")
LABEL_SAFETY = N_("Please note")
LABEL_SOURCE = N_("Source")
LABEL_CHECKED = N_("Last checked")
# After the link to a line's best source: how many more sources it has.
SOURCE_MORE_ONE, SOURCE_MORE_OTHER = NP_(" and one more", " and {count} more")
TEXT_KEYWORD = N_("Text {keyword} to {number}")
TEXT_NUMBER = N_("Text {number}")
TEXT_CHANNEL = N_(" ({channel})")
BUTTON_CHAT = N_("Chat: {name}")
BUTTON_WEBSITE = N_("{name}")
BUTTON_FINDAHELPLINE = N_("findahelpline.com")
CHECKED_NOTE = N_(
    "Numbers checked against public sources on {date}. Services change: if a "
    "number doesn't work, please try the website or findahelpline.com."
)
