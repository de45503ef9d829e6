"""Texts of /config, the panel and the configuration log (msgids of the
translator). Calm, plain and kind.

Admin text shown inside these texts is always neutralised first (markdown
escaped, mentions broken) by bot.kit.safe_text.neutralise.
"""

from bot.i18n.translator import N_, NP_, S_

GROUP_DESCRIPTION = N_("Server settings for this bot (Manage Server).")

# ------------------------------------------------------------------ command help
SHOW_DESCRIPTION = N_("Show this server's settings for the bot.")
COUNTRY_DESCRIPTION = N_("Set the default country for /hotline and /resources.")
COUNTRY_OPTION = N_("A country (type a name or a two-letter code), or none to clear it.")
ACK_DESCRIPTION = N_("Turn the anonymous /metoo count on or off in this server.")
ACK_OPTION = N_("True to turn /metoo on, false to turn it off.")
THRESHOLD_DESCRIPTION = N_("Set the smallest count /metoo count shows (at least 5).")
THRESHOLD_OPTION = N_("Counts below this are shown as 'fewer than' this number.")
PANEL_DESCRIPTION = N_(
    "Post (or move) the panel with the Me too, Find support and Learn more buttons."
)
PANEL_OPTION = N_("The channel to post the panel in.")
RESOURCE_ADD_DESCRIPTION = N_("Add a local resource (a counselling service, a union contact).")
RESOURCE_NAME_OPTION = N_("Its name, as people know it.")
RESOURCE_DESCRIPTION_OPTION = N_("One sentence: who it helps and how.")
RESOURCE_URL_OPTION = N_("Its website (https only).")
RESOURCE_PHONE_OPTION = N_("Its phone number.")
RESOURCE_REMOVE_DESCRIPTION = N_("Remove a local resource.")
RESOURCE_REMOVE_OPTION = N_("The name of the resource to remove.")
LOG_DESCRIPTION = N_("Choose where configuration changes are announced (leave empty to turn off).")
LOG_OPTION = N_("The channel for the configuration log; leave empty to turn the log off.")
RESET_DESCRIPTION = N_("Delete all of this server's settings, resources and count.")
LANGUAGE_DESCRIPTION = N_(
    "Choose the language of public posts: the panel, the log, public answers.")
LANGUAGE_OPTION = N_("Automatic follows the server's Discord language; or choose one.")

# ------------------------------------------------------------------ /config show
SHOW_TITLE = N_("Settings for this server")
FIELD_COUNTRY = N_("Country")
COUNTRY_VALUE = N_("{name} ({code})")
COUNTRY_UNSET_DEFAULT = N_("Not set: the bot's default is used ({name} ({code})).")
COUNTRY_UNSET = N_("Not set: people are asked to pick their country.")
FIELD_ACK = N_("Me too count (/metoo)")
ON = N_("On")
OFF = N_("Off")
FIELD_THRESHOLD = N_("Smallest count shown")
FIELD_PANEL = N_("Panel")
PANEL_VALUE = N_("In {channel}")
PANEL_UNSET = N_("Not posted. Use `/config panel` to post it.")
FIELD_LOG = N_("Configuration log")
LOG_VALUE = N_("In {channel}")
LOG_UNSET = N_("Off")
FIELD_LANGUAGE = N_("Language of public posts")
# The `auto` choice of /config language, and how /config show names it.
LANGUAGE_AUTO = N_("Automatic (the server's Discord language)")
FIELD_RESOURCES = N_("Local resources ({count} of {limit})")
FIELD_RESOURCES_MORE = N_("Local resources (continued)")
RESOURCES_NONE = N_("None yet. Add one with `/config resource-add`.")
RESOURCE_PHONE = N_("phone")
# A link stored before the link rules existed that they would refuse today.
RESOURCE_LINK_HIDDEN = N_(
    "link not shown (remove and add the resource again with a plain https link)"
)
SHOW_FOOTER = N_("Only people with the Manage Server permission can change these.")

# ------------------------------------------------------------------ results
COUNTRY_SET = N_("Done. The default country for `/hotline` and `/resources` here is now {country}.")
COUNTRY_CLEARED = N_("Done. This server no longer has a default country.")
# What members get once a country is set, so that an admin knows what the bot
# lacks there. Topic names come from the /hotline topic menu.
COUNTRY_NO_LINES = N_(
    "\n\n**What members will get:** the bot has no checked support lines for {country} "
    "yet. Members who use `/hotline`, `/resources` or the panel here will get the general "
    "emergency line (call the local emergency number; 112 works from mobiles in the EU and "
    "many other countries), the international directory findahelpline.com, and this "
    "server's own resources (add them with `/config resource-add`). They will not get a "
    "local number from the bot until lines for {country} have been checked and added."
)
COUNTRY_NO_EMERGENCY = N_(
    "\n\n**Emergency number:** the bot has no checked emergency number for {country} yet, "
    "so members will get the general emergency line instead (call the local emergency "
    "number; 112 works from mobiles in the EU and many other countries)."
)
COUNTRY_TOPICS = N_("\n\n**What members will get:** checked lines for {country} on: {topics}.")
COUNTRY_TOPICS_MISSING = N_(
    " Not yet on: {topics}; for those, the bot points to findahelpline.com and this "
    "server's own resources."
)
ACK_ON = N_(
    "Done. `/metoo` is now on in this server. Members can choose to add themselves to an "
    "anonymous count after reading what is stored. Admins only ever see the rounded count, "
    "never who."
)
ACK_OFF = N_(
    "Done. `/metoo` is now off in this server. Nobody new can be added. Existing entries are "
    "kept until each person removes theirs or the server is reset (`/config reset`)."
)
ACK_UNAVAILABLE = N_(
    "\n\nNote: whoever runs this bot has not set it up for the count yet (its `ACK_SECRET` "
    "setting is missing), so `/metoo` stays unavailable until they do. Your choice is saved."
)
THRESHOLD_SET = N_("Done. Counts below {value} are now shown as \"fewer than {value}\".")
UNCHANGED = N_("That is already the setting; nothing changed.")
RESOURCE_ADDED = N_("Done. Added **{name}** to this server's local resources ({count} of {limit}).")
RESOURCE_REMOVED = N_("Done. Removed **{name}** from this server's local resources.")
RESOURCE_RETRY = N_(
    "Sorry, the resources changed while I was saving. Nothing was saved. Please try again."
)
RESOURCE_NOT_FOUND = N_(
    "There is no local resource called **{name}** here. `/config show` lists them; "
    "the name is suggested as you type."
)
PANEL_POSTED = N_("Done. The panel is posted in {channel}.")
PANEL_MOVED = N_("Done. The panel is now in {channel}; the old panel message was deleted.")
PANEL_OLD_KEPT = N_(
    " I could not delete the old panel message (it may already be gone): "
    "you can delete it by hand."
)
LOG_SET = N_("Done. Configuration changes will be announced in {channel}.")
LOG_OFF = N_("Done. The configuration log is off.")
LOG_OFF_ALREADY = N_("The configuration log is already off; nothing changed.")
LANGUAGE_SET = N_(
    "Done. Public posts here (the panel, the configuration log and answers with `public`) "
    "are now in {language}. Private answers stay in each person's own Discord language."
)
LANGUAGE_SET_AUTO = N_(
    "Done. Public posts here (the panel, the configuration log and answers with `public`) "
    "now follow the server's Discord language, at the moment {language}. Private answers "
    "stay in each person's own Discord language."
)
LANGUAGE_PANEL_NOTE = N_(
    " The panel keeps its current text until you post it again with `/config panel`."
)

# ------------------------------------------------------------------ permissions to post
CANNOT_POST = N_(
    "I cannot post in {channel}: please give me the {permissions} permission there "
    "(in the channel's settings, under Permissions), then try again. Nothing was changed."
)
CANNOT_POST_GONE = N_(
    "I cannot find that channel any more. Please choose another. Nothing was changed."
)
CANNOT_POST_OTHER = N_(
    "Discord did not let me post in {channel} just now. Please try again in a minute. "
    "Nothing was changed."
)
PERMISSION_NAMES = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
}
AND = N_(" and ")

LOG_NOTE_FORBIDDEN = N_(
    "\n\nNote: the change is saved, but I could not announce it in the configuration log "
    "{channel}. Please give me the View Channel and Send Messages permissions there, or "
    "choose another channel with `/config log-channel`."
)
LOG_NOTE_GONE = N_(
    "\n\nNote: the change is saved, but the configuration log channel no longer exists. "
    "Choose another with `/config log-channel`, or leave it empty to turn the log off."
)
LOG_NOTE_OTHER = N_(
    "\n\nNote: the change is saved, but Discord did not let me announce it in the "
    "configuration log {channel} just now."
)

# ------------------------------------------------------------------ reset
RESET_PROMPT = S_(
    "**Delete everything this bot holds for this server?**\n"
    "This deletes, for this server only and for good:\n"
    "- the settings (country, `/metoo` on or off, smallest count shown, log channel)\n"
    "- the panel message, if there is one\n"
    "- {resources}\n"
    "- the anonymous \"me too\" count and every entry behind it\n\n"
    "It cannot be undone. Other servers are not affected."
)
RESET_RESOURCES_ONE, RESET_RESOURCES_OTHER = NP_(
    "the {count} local resource",
    "the {count} local resources",
)
RESET_CONFIRM = N_("Delete everything")
RESET_CANCEL = N_("Cancel")
RESET_DONE = S_(
    "Done. Everything this bot held for this server was deleted: settings, local resources, "
    "the panel message and the \"me too\" count. The bot now uses its defaults here."
)
RESET_CANCELLED = N_("Cancelled. Nothing was deleted.")
RESET_NOT_YOURS = N_("This button belongs to the person who ran `/config reset`.")
RESET_EXPIRED = N_("This confirmation has expired. Nothing was deleted. Run `/config reset` again.")

# ------------------------------------------------------------------ validation
FIELD_NAMES = {
    "name": N_("The name"),
    "description": N_("The description"),
    "url": N_("The link"),
    "phone": N_("The phone number"),
}
PROBLEMS = {
    "empty": N_("{field} is empty. Please type some text."),
    "too_long": N_(
        "{field} is {length} characters long; the most is {limit}. Please shorten it. "
        "Nothing was saved."
    ),
    "invisible": N_(
        "{field} has no visible letters, numbers or symbols: only blank or invisible "
        "characters. Please type it with text people can read. Nothing was saved."
    ),
    "control": N_(
        "{field} contains line breaks or invisible characters. Please type it again as "
        "one line of plain text. Nothing was saved."
    ),
    "mention": N_(
        "{field} contains a mention (like `@everyone`, `@here`, or a member, role or channel "
        "mention). Please remove it: this bot never pings anyone. Nothing was saved."
    ),
    "link_in_text": N_(
        "{field} contains a web link. Please put the link in the `url` option instead "
        "(https only). Nothing was saved."
    ),
    "url_not_https": N_(
        "The link must be secure: it has to start with https:// (not http://). "
        "Nothing was saved."
    ),
    "url_invalid": N_(
        "That link does not look like a web address I can show. Please give a full address "
        "like https://example.org/help (no spaces, no user name or password, no port). "
        "Nothing was saved."
    ),
    "url_markdown": N_(
        "The link contains brackets, parentheses or a second web address, which could "
        "change where it seems to lead. Please remove them, or write ( as %28, ) as %29, "
        "[ as %5B and ] as %5D. Nothing was saved."
    ),
    "phone_invalid": N_(
        "That phone number is not valid for {country}. Please check it, or write it with its "
        "country code (starting with +). Nothing was saved."
    ),
    "phone_digits": N_(
        "Please write the phone number with the digits 0 to 9 (spaces, +, - and brackets "
        "are fine). Nothing was saved."
    ),
    "phone_type": N_(
        "That is {kind}, so I cannot list it as a support line. Please give the service's "
        "ordinary, free or standard-rate number. Nothing was saved."
    ),
    "phone_needs_country": N_(
        "I cannot tell which country that phone number belongs to. Please write it with its "
        "country code (starting with +), or set this server's country first with "
        "`/config country`. Nothing was saved."
    ),
    "duplicate_name": N_(
        "There is already a local resource called **{name}** here. Please choose another "
        "name, or remove the old one first with `/config resource-remove`. Nothing was saved."
    ),
    "too_many_resources": N_(
        "This server already has {limit} local resources, the most allowed. Please remove "
        "one with `/config resource-remove` first. Nothing was saved."
    ),
    "threshold_range": N_(
        "The smallest count shown must be a whole number from {low} to {high}. "
        "Nothing was changed."
    ),
    "country_unknown": N_(
        "I do not know that country. Please pick one from the list as you type (it fills in "
        "a two-letter code like GB), or type none to clear it. Nothing was changed."
    ),
}
COUNTRY_SUGGESTION = N_(" Did you mean {suggestion}?")
# {kind} of the phone_type problem, by rules.REFUSED_PHONE_TYPES.
PHONE_KINDS = {
    "premium_rate": N_("a premium-rate number (calling it can cost a lot)"),
    "personal": N_(
        "a personal forwarding number (it can be redirected anywhere and may cost more)"
    ),
    "pager": N_("a pager number (nobody answers it)"),
    "voicemail": N_("a voicemail access number (nobody answers it)"),
    "unknown": N_("a number of a kind I cannot recognise"),
}
THE_COUNTRY_SET_HERE = N_("this server's country")

# ------------------------------------------------------------------ the panel
PANEL_TEXT = S_(
    "**Me Too: learn, find support, and be counted if you choose**\n"
    "Press a button below. Only you will see the answer.\n"
    "- **Me too**: add yourself to this server's anonymous count, after reading what is "
    "stored (only if this server has turned it on).\n"
    "- **Find support**: help lines for this server's country, and the emergency number.\n"
    "- **Learn more**: the history of the Me Too movement.\n"
    "If you are in danger right now, call your local emergency number."
)
PANEL_METOO = N_("Me too")
PANEL_SUPPORT = N_("Find support")
PANEL_LEARN = N_("Learn more")

FALLBACK_METOO = N_(
    "Adding yourself to the \"me too\" count is not available here right now. "
    "Nothing was recorded. `/help` lists what this bot can do."
)
FALLBACK_SUPPORT = S_(
    "Use `/hotline` to find support lines for your country. "
    "If you are in danger right now, please call your local emergency number."
)
FALLBACK_LEARN = N_("Use `/history overview` to read about the Me Too movement and its history.")

# ------------------------------------------------------------------ the configuration log
LOG_PREFIX = N_("Configuration change by {who}: ")
LOG_CHANGE = N_("**{setting}**: {old} → {new}")
LOG_RESOURCE_ADDED = N_("added the local resource **{name}**")
LOG_RESOURCE_REMOVED = N_("removed the local resource **{name}**")
LOG_PANEL = N_("posted the panel in {channel}")
LOG_RESET = N_("reset this bot's settings and data for this server (everything was deleted)")
LOG_NOW_HERE = N_("configuration changes will now be announced in this channel")
LOG_MOVED_AWAY = N_("configuration changes will now be announced in {channel} instead")
LOG_TURNED_OFF = N_("turned the configuration log off")
NONE_VALUE = N_("none")
