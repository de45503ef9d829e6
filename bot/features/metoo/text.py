"""Texts of /metoo (msgids of the translator): the consent flow, withdrawal and counts.

Calm, plain, gender-neutral words; no pressure, no "why", no details asked.
CONSENT is the text a person agrees to: changing its meaning needs a new
CONSENT_VERSION in rules.py (a test holds its fingerprint).
"""

from bot.i18n.translator import N_, NP_, S_

# ---------------------------------------------------------------- commands
GROUP_DESCRIPTION = N_(
    "Say \"me too\", privately and anonymously, if this server has turned it on.")
ADD_DESCRIPTION = N_(
    "Add yourself, privately, to this server's anonymous count (you confirm first).")
REMOVE_DESCRIPTION = N_("Withdraw your \"me too\" in this server: deleted at once.")
COUNT_DESCRIPTION = N_(
    "About how many have said \"me too\" here and everywhere (daily, rounded).")
PUBLIC_OPTION = N_("Show the answer to everyone in the channel (default: only you).")

# ----------------------------------------------------------------- consent
CONSENT_TITLE = S_("Saying \"me too\" here")
CONSENT = S_(
    "If you choose, you can add yourself to this server's anonymous count of people who "
    "say \"me too\": people who have experienced sexual harassment, assault or other "
    "unwanted sexual contact. You never have to, and you do not have to tell anyone "
    "anything.\n\n"
    "**What is stored if you confirm**\n"
    "- this server's id;\n"
    "- a pseudonymous key made from your account with a secret that only the bot's "
    "operator holds (not your user id, not your name);\n"
    "- today's date in UTC (no time of day);\n"
    "- the version of this text (version {version}).\n\n"
    "**What is never stored**: your user id or name, any message, the channel, or the "
    "time you pressed.\n\n"
    "**Who sees it**: nobody. This message and the answer are visible only to you. "
    "Nothing is posted, no role or reaction is added, and nobody is notified. Admins see "
    "only an approximate total: taken once a day, blurred with a little random noise, "
    "rounded to a multiple of 5, and hidden while it is small, so that nobody can tell "
    "whether any one person was added.\n\n"
    "**You can change your mind at any time**: `/metoo remove` deletes it in this "
    "server, `/privacy delete` deletes everything the bot holds about you. After "
    "{days} days the record is deleted on its own and only an anonymous number remains.\n\n"
    "A pseudonymous record is still personal data. `/privacy info` explains more."
)
CONFIRM_LABEL = S_("Count me: me too")
CANCEL_LABEL = S_("Not now")

# --------------------------------------------------------------- answers
THANKS = S_(
    "Thank you for adding your voice. You are not alone.\n\n"
    "You can withdraw at any time with `/metoo remove` (this server) or "
    "`/privacy delete` (everywhere).\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
ALREADY_COUNTED = N_(
    "You are already counted in this server, so nothing changed.\n"
    "You can withdraw at any time with `/metoo remove`."
)
NOT_NOW = S_(
    "Nothing was stored. You can come back to this whenever you like, or never.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
NOT_NOW_COUNTED = N_(
    "Nothing changed: you are already counted in this server.\n"
    "You can withdraw at any time with `/metoo remove`."
)
CONSENT_CHANGED = N_(
    "The explanation has changed since that message was shown, so nothing was stored. "
    "Here is the current one."
)
REMOVED = S_(
    "Your \"me too\" in this server has been deleted: 1 record (this server's id, your "
    "pseudonymous key, the day and the consent version). Nothing about it remains "
    "stored. The displayed count is a daily total, so it changes from tomorrow.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
NOTHING_TO_REMOVE = N_(
    "There is no \"me too\" from you in this server, so nothing was deleted."
)

# ------------------------------------------------------------- refusals
DISABLED = N_(
    "Counting \"me too\" is turned off in this server; its admins decide whether to turn "
    "it on. Everything else works as usual: `/hotline` lists support lines."
)
NOT_CONFIGURED = N_(
    "The operator of this bot has not enabled \"me too\" counting (no key is set up), so "
    "nothing can be stored or looked up. Everything else works as usual: `/hotline` "
    "lists support lines."
)
# Only ever sent for a refused write (confirming, withdrawing, deleting), so
# "Nothing changed" is always the truth.
TOO_NEW = N_(
    "To keep the count honest, only accounts at least 7 days old that have been in this "
    "server for at least a day can be counted. You can be counted from {day} (UTC), if "
    "you still want to then: use `/metoo add` again. Nothing was stored.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
JOINED_UNKNOWN = N_(
    "Discord did not say when you joined this server, so the bot cannot count you here: "
    "only members who have been in a server for at least a day can be counted. Nothing "
    "was stored.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)

# ----------------------------------------------------------------- counts
COUNT_TITLE = N_("How many have said \"me too\"")
COUNT_HERE = N_("In this server")
COUNT_EVERYWHERE = N_("Across all servers using this bot")
# A shown count is a multiple of 5 and never below 5: English needs only the
# "other" form, but a language may use its "one" form for 21 or 101.
COUNT_ABOUT_ONE, COUNT_ABOUT_OTHER = NP_("About {count} person", "About {count} people")
COUNT_FEWER_ONE, COUNT_FEWER_OTHER = NP_(
    "Fewer than about {count} person",
    "Fewer than about {count} people",
)
COUNT_OFF_HERE = N_("Not counted: turned off in this server")
COUNT_OFF_HERE_TODAY = N_(
    "Turned off in this server. Today's total across servers was taken while it was on; "
    "from tomorrow it leaves this server out."
)
COUNT_FOOTER = N_(
    "Figures are taken once a day, blurred with a little random noise and rounded to a "
    "multiple of 5; small figures are not shown. So nobody can be singled out, not even "
    "by comparing one day with the next."
)
