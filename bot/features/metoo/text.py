"""Strings of /metoo: the consent flow, withdrawal and counts.

Calm, plain, gender-neutral words; no pressure, no "why", no details asked.
CONSENT is the text a person agrees to: changing its meaning needs a new
CONSENT_VERSION in bot/core/acknowledgements.py (a test holds its fingerprint).
"""

# ----------------------------------------------------------------- consent
CONSENT_TITLE = "Saying \"me too\" here"
CONSENT = (
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
CONFIRM_LABEL = "Count me: me too"
CANCEL_LABEL = "Not now"

# --------------------------------------------------------------- answers
THANKS = (
    "Thank you for adding your voice. You are not alone.\n\n"
    "You can withdraw at any time with `/metoo remove` (this server) or "
    "`/privacy delete` (everywhere).\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
ALREADY_COUNTED = (
    "You are already counted in this server, so nothing changed.\n"
    "You can withdraw at any time with `/metoo remove`."
)
NOT_NOW = (
    "Nothing was stored. You can come back to this whenever you like, or never.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
NOT_NOW_COUNTED = (
    "Nothing changed: you are already counted in this server.\n"
    "You can withdraw at any time with `/metoo remove`."
)
CONSENT_CHANGED = (
    "The explanation has changed since that message was shown, so nothing was stored. "
    "Here is the current one."
)
REMOVED = (
    "Your \"me too\" in this server has been deleted: 1 record (this server's id, your "
    "pseudonymous key, the day and the consent version). Nothing about it remains "
    "stored. The displayed count is a daily total, so it changes from tomorrow.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
NOTHING_TO_REMOVE = (
    "There is no \"me too\" from you in this server, so nothing was deleted."
)

# ------------------------------------------------------------- refusals
DISABLED = (
    "Counting \"me too\" is turned off in this server; its admins decide whether to turn "
    "it on. Everything else works as usual: `/hotline` lists support lines."
)
NOT_CONFIGURED = (
    "The operator of this bot has not enabled \"me too\" counting (no key is set up), so "
    "nothing can be stored or looked up. Everything else works as usual: `/hotline` "
    "lists support lines."
)
# Only ever sent for a refused write (confirming, withdrawing, deleting), so
# "Nothing changed" is always the truth.
TOO_NEW = (
    "To keep the count honest, only accounts at least 7 days old that have been in this "
    "server for at least a day can be counted. You can be counted from {day} (UTC), if "
    "you still want to then: use `/metoo add` again. Nothing was stored.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)
JOINED_UNKNOWN = (
    "Discord did not say when you joined this server, so the bot cannot count you here: "
    "only members who have been in a server for at least a day can be counted. Nothing "
    "was stored.\n"
    "If you would like to talk to someone, `/hotline` lists support lines."
)

# ----------------------------------------------------------------- counts
COUNT_TITLE = "How many have said \"me too\""
COUNT_HERE = "In this server"
COUNT_EVERYWHERE = "Across all servers using this bot"
COUNT_ABOUT = "About {value} people"
COUNT_FEWER = "Fewer than about {value} people"
COUNT_OFF_HERE = "Not counted: turned off in this server"
COUNT_OFF_HERE_TODAY = (
    "Turned off in this server. Today's total across servers was taken while it was on; "
    "from tomorrow it leaves this server out."
)
COUNT_FOOTER = (
    "Figures are taken once a day, blurred with a little random noise and rounded to a "
    "multiple of 5; small figures are not shown. So nobody can be singled out, not even "
    "by comparing one day with the next."
)
