"""Strings of /config, the panel and the configuration log. Calm, plain and kind.

Admin text shown inside these strings is always neutralised first (markdown
escaped, mentions broken) by bot.core.community.neutralise.
"""

GROUP_DESCRIPTION = "Server settings for this bot (Manage Server)."

# ------------------------------------------------------------------ command help
SHOW_DESCRIPTION = "Show this server's settings for the bot."
COUNTRY_DESCRIPTION = "Set the default country for /hotline and /resources."
COUNTRY_OPTION = "A country (type a name or a two-letter code), or none to clear it."
ACK_DESCRIPTION = "Turn the anonymous /metoo count on or off in this server."
ACK_OPTION = "True to turn /metoo on, false to turn it off."
THRESHOLD_DESCRIPTION = "Set the smallest count /metoo count shows (at least 5)."
THRESHOLD_OPTION = "Counts below this are shown as 'fewer than' this number."
PANEL_DESCRIPTION = "Post (or move) the panel with the Me too, Find support and Learn more buttons."
PANEL_OPTION = "The channel to post the panel in."
RESOURCE_ADD_DESCRIPTION = "Add a local resource (a counselling service, a union contact)."
RESOURCE_NAME_OPTION = "Its name, as people know it."
RESOURCE_DESCRIPTION_OPTION = "One sentence: who it helps and how."
RESOURCE_URL_OPTION = "Its website (https only)."
RESOURCE_PHONE_OPTION = "Its phone number."
RESOURCE_REMOVE_DESCRIPTION = "Remove a local resource."
RESOURCE_REMOVE_OPTION = "The name of the resource to remove."
LOG_DESCRIPTION = "Choose where configuration changes are announced (leave empty to turn off)."
LOG_OPTION = "The channel for the configuration log; leave empty to turn the log off."
RESET_DESCRIPTION = "Delete all of this server's settings, resources and count."

# ------------------------------------------------------------------ /config show
SHOW_TITLE = "Settings for this server"
FIELD_COUNTRY = "Country"
COUNTRY_VALUE = "{name} ({code})"
COUNTRY_UNSET_DEFAULT = "Not set: the bot's default is used ({name} ({code}))."
COUNTRY_UNSET = "Not set: people are asked to pick their country."
FIELD_ACK = "Me too count (/metoo)"
ON = "On"
OFF = "Off"
FIELD_THRESHOLD = "Smallest count shown"
FIELD_PANEL = "Panel"
PANEL_VALUE = "In {channel}"
PANEL_UNSET = "Not posted. Use `/config panel` to post it."
FIELD_LOG = "Configuration log"
LOG_VALUE = "In {channel}"
LOG_UNSET = "Off"
FIELD_RESOURCES = "Local resources ({count} of {limit})"
FIELD_RESOURCES_MORE = "Local resources (continued)"
RESOURCES_NONE = "None yet. Add one with `/config resource-add`."
RESOURCE_PHONE = "phone"
# A link stored before the link rules existed that they would refuse today.
RESOURCE_LINK_HIDDEN = "link not shown (remove and add the resource again with a plain https link)"
SHOW_FOOTER = "Only people with the Manage Server permission can change these."

# ------------------------------------------------------------------ results
COUNTRY_SET = "Done. The default country for `/hotline` and `/resources` here is now {country}."
COUNTRY_CLEARED = "Done. This server no longer has a default country."
# What members get once a country is set (issue 10, point 2). Topic names come
# from the /hotline topic menu.
COUNTRY_NO_LINES = (
    "\n\n**What members will get:** the bot has no checked support lines for {country} "
    "yet. Members who use `/hotline`, `/resources` or the panel here will get the general "
    "emergency line (call the local emergency number; 112 works from mobiles in the EU and "
    "many other countries), the international directory findahelpline.com, and this "
    "server's own resources (add them with `/config resource-add`). They will not get a "
    "local number from the bot until lines for {country} have been checked and added."
)
COUNTRY_NO_EMERGENCY = (
    "\n\n**Emergency number:** the bot has no checked emergency number for {country} yet, "
    "so members will get the general emergency line instead (call the local emergency "
    "number; 112 works from mobiles in the EU and many other countries)."
)
COUNTRY_TOPICS = "\n\n**What members will get:** checked lines for {country} on: {topics}."
COUNTRY_TOPICS_MISSING = (
    " Not yet on: {topics}; for those, the bot points to findahelpline.com and this "
    "server's own resources."
)
ACK_ON = (
    "Done. `/metoo` is now on in this server. Members can choose to add themselves to an "
    "anonymous count after reading what is stored. Admins only ever see the rounded count, "
    "never who."
)
ACK_OFF = (
    "Done. `/metoo` is now off in this server. Nobody new can be added. Existing entries are "
    "kept until each person removes theirs or the server is reset (`/config reset`)."
)
ACK_UNAVAILABLE = (
    "\n\nNote: whoever runs this bot has not set it up for the count yet (its `ACK_SECRET` "
    "setting is missing), so `/metoo` stays unavailable until they do. Your choice is saved."
)
THRESHOLD_SET = "Done. Counts below {value} are now shown as \"fewer than {value}\"."
UNCHANGED = "That is already the setting; nothing changed."
RESOURCE_ADDED = "Done. Added **{name}** to this server's local resources ({count} of {limit})."
RESOURCE_REMOVED = "Done. Removed **{name}** from this server's local resources."
RESOURCE_RETRY = (
    "Sorry, the resources changed while I was saving. Nothing was saved. Please try again."
)
RESOURCE_NOT_FOUND = (
    "There is no local resource called **{name}** here. `/config show` lists them; "
    "the name is suggested as you type."
)
PANEL_POSTED = "Done. The panel is posted in {channel}."
PANEL_MOVED = "Done. The panel is now in {channel}; the old panel message was deleted."
PANEL_OLD_KEPT = (
    " I could not delete the old panel message (it may already be gone): "
    "you can delete it by hand."
)
LOG_SET = "Done. Configuration changes will be announced in {channel}."
LOG_OFF = "Done. The configuration log is off."
LOG_OFF_ALREADY = "The configuration log is already off; nothing changed."

# ------------------------------------------------------------------ permissions to post
CANNOT_POST = (
    "I cannot post in {channel}: please give me the {permissions} permission there "
    "(in the channel's settings, under Permissions), then try again. Nothing was changed."
)
CANNOT_POST_GONE = (
    "I cannot find that channel any more. Please choose another. Nothing was changed."
)
CANNOT_POST_OTHER = (
    "Discord did not let me post in {channel} just now. Please try again in a minute. "
    "Nothing was changed."
)
PERMISSION_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
}
AND = " and "

LOG_NOTE_FORBIDDEN = (
    "\n\nNote: the change is saved, but I could not announce it in the configuration log "
    "{channel}. Please give me the View Channel and Send Messages permissions there, or "
    "choose another channel with `/config log-channel`."
)
LOG_NOTE_GONE = (
    "\n\nNote: the change is saved, but the configuration log channel no longer exists. "
    "Choose another with `/config log-channel`, or leave it empty to turn the log off."
)
LOG_NOTE_OTHER = (
    "\n\nNote: the change is saved, but Discord did not let me announce it in the "
    "configuration log {channel} just now."
)

# ------------------------------------------------------------------ reset
RESET_PROMPT = (
    "**Delete everything this bot holds for this server?**\n"
    "This deletes, for this server only and for good:\n"
    "- the settings (country, `/metoo` on or off, smallest count shown, log channel)\n"
    "- the panel message, if there is one\n"
    "- {resources}\n"
    "- the anonymous \"me too\" count and every entry behind it\n\n"
    "It cannot be undone. Other servers are not affected."
)
RESET_RESOURCES_ONE = "the {count} local resource"
RESET_RESOURCES_OTHER = "the {count} local resources"
RESET_CONFIRM = "Delete everything"
RESET_CANCEL = "Cancel"
RESET_DONE = (
    "Done. Everything this bot held for this server was deleted: settings, local resources, "
    "the panel message and the \"me too\" count. The bot now uses its defaults here."
)
RESET_CANCELLED = "Cancelled. Nothing was deleted."
RESET_NOT_YOURS = "This button belongs to the person who ran `/config reset`."
RESET_EXPIRED = "This confirmation has expired. Nothing was deleted. Run `/config reset` again."

# ------------------------------------------------------------------ validation
FIELD_NAMES = {
    "name": "The name",
    "description": "The description",
    "url": "The link",
    "phone": "The phone number",
}
PROBLEMS = {
    "empty": "{field} is empty. Please type some text.",
    "too_long": (
        "{field} is {length} characters long; the most is {limit}. Please shorten it. "
        "Nothing was saved."
    ),
    "invisible": (
        "{field} has no visible letters, numbers or symbols: only blank or invisible "
        "characters. Please type it with text people can read. Nothing was saved."
    ),
    "control": (
        "{field} contains line breaks or invisible characters. Please type it again as "
        "one line of plain text. Nothing was saved."
    ),
    "mention": (
        "{field} contains a mention (like `@everyone`, `@here`, or a member, role or channel "
        "mention). Please remove it: this bot never pings anyone. Nothing was saved."
    ),
    "link_in_text": (
        "{field} contains a web link. Please put the link in the `url` option instead "
        "(https only). Nothing was saved."
    ),
    "url_not_https": (
        "The link must be secure: it has to start with https:// (not http://). "
        "Nothing was saved."
    ),
    "url_invalid": (
        "That link does not look like a web address I can show. Please give a full address "
        "like https://example.org/help (no spaces, no user name or password, no port). "
        "Nothing was saved."
    ),
    "url_markdown": (
        "The link contains brackets, parentheses or a second web address, which could "
        "change where it seems to lead. Please remove them, or write ( as %28, ) as %29, "
        "[ as %5B and ] as %5D. Nothing was saved."
    ),
    "phone_invalid": (
        "That phone number is not valid for {country}. Please check it, or write it with its "
        "country code (starting with +). Nothing was saved."
    ),
    "phone_digits": (
        "Please write the phone number with the digits 0 to 9 (spaces, +, - and brackets "
        "are fine). Nothing was saved."
    ),
    "phone_type": (
        "That is {kind}, so I cannot list it as a support line. Please give the service's "
        "ordinary, free or standard-rate number. Nothing was saved."
    ),
    "phone_needs_country": (
        "I cannot tell which country that phone number belongs to. Please write it with its "
        "country code (starting with +), or set this server's country first with "
        "`/config country`. Nothing was saved."
    ),
    "duplicate_name": (
        "There is already a local resource called **{name}** here. Please choose another "
        "name, or remove the old one first with `/config resource-remove`. Nothing was saved."
    ),
    "too_many_resources": (
        "This server already has {limit} local resources, the most allowed. Please remove "
        "one with `/config resource-remove` first. Nothing was saved."
    ),
    "threshold_range": (
        "The smallest count shown must be a whole number from {low} to {high}. "
        "Nothing was changed."
    ),
    "country_unknown": (
        "I do not know that country. Please pick one from the list as you type (it fills in "
        "a two-letter code like GB), or type none to clear it. Nothing was changed."
    ),
}
COUNTRY_SUGGESTION = " Did you mean {suggestion}?"
# {kind} of the phone_type problem, by bot.core.community.REFUSED_PHONE_TYPES.
PHONE_KINDS = {
    "premium_rate": "a premium-rate number (calling it can cost a lot)",
    "personal": "a personal forwarding number (it can be redirected anywhere and may cost more)",
    "pager": "a pager number (nobody answers it)",
    "voicemail": "a voicemail access number (nobody answers it)",
    "unknown": "a number of a kind I cannot recognise",
}
THE_COUNTRY_SET_HERE = "this server's country"

# ------------------------------------------------------------------ the panel
PANEL_TEXT = (
    "**Me Too: learn, find support, and be counted if you choose**\n"
    "Press a button below. Only you will see the answer.\n"
    "- **Me too**: add yourself to this server's anonymous count, after reading what is "
    "stored (only if this server has turned it on).\n"
    "- **Find support**: help lines for this server's country, and the emergency number.\n"
    "- **Learn more**: the history of the Me Too movement.\n"
    "If you are in danger right now, call your local emergency number."
)
PANEL_METOO = "Me too"
PANEL_SUPPORT = "Find support"
PANEL_LEARN = "Learn more"

FALLBACK_METOO = (
    "Adding yourself to the \"me too\" count is not available here right now. "
    "Nothing was recorded. `/help` lists what this bot can do."
)
FALLBACK_SUPPORT = (
    "Use `/hotline` to find support lines for your country. "
    "If you are in danger right now, please call your local emergency number."
)
FALLBACK_LEARN = "Use `/history overview` to read about the Me Too movement and its history."

# ------------------------------------------------------------------ the configuration log
LOG_PREFIX = "Configuration change by {who}: "
LOG_CHANGE = "**{setting}**: {old} → {new}"
LOG_RESOURCE_ADDED = "added the local resource **{name}**"
LOG_RESOURCE_REMOVED = "removed the local resource **{name}**"
LOG_PANEL = "posted the panel in {channel}"
LOG_RESET = "reset this bot's settings and data for this server (everything was deleted)"
LOG_NOW_HERE = "configuration changes will now be announced in this channel"
LOG_MOVED_AWAY = "configuration changes will now be announced in {channel} instead"
LOG_TURNED_OFF = "turned the configuration log off"
NONE_VALUE = "none"
