"""Texts of /privacy (msgids of the translator): what is stored, export and erasure,
in plain words."""

from bot.i18n.translator import N_, NP_, S_

# ---------------------------------------------------------------- commands
GROUP_DESCRIPTION = N_("What this bot stores about you, a copy of it, and deleting it.")
INFO_DESCRIPTION = N_("What is stored, what never is, and how to delete it.")
MYDATA_DESCRIPTION = N_("A copy of everything the bot holds about you, as a file only you see.")
DELETE_DESCRIPTION = N_(
    "Delete everything the bot holds about you, in every server (you confirm first).")

# ------------------------------------------------------------------- info
INFO_TITLE = S_("Privacy: what this bot keeps about you")
INFO_INTRO = S_(
    "Short version: nothing about you, unless you choose to say \"me too\" in a server "
    "that has turned it on. Even then, only a pseudonymous record that you can delete "
    "at any time."
)
INFO_FIELDS = (
    (
        S_("What the bot never reads or keeps"),
        S_(
            "It reads no messages and asks Discord for no special access to members, "
            "presence or message content. It receives only the commands and buttons you use. "
            "It never stores your user id, your name, a message, a channel, the time of "
            "day, or an option you typed."
        ),
    ),
    (
        S_("If you say \"me too\""),
        S_(
            "Only after you read an explanation and press \"Count me: me too\". Then one record "
            "for that server holds exactly: the server's id, a pseudonymous key made with "
            "HMAC-SHA256 from the server and your account using a secret that only the "
            "operator holds (kept outside the database), the version of the text you agreed "
            "to, and the day in UTC. Pressing again changes nothing."
        ),
    ),
    (
        S_("Who can see it"),
        S_(
            "Nobody. Every step is visible only to you. Nothing is posted, no role or reaction "
            "is added, nobody is messaged or notified, and nothing about it is logged. Admins "
            "see only totals, never a list."
        ),
    ),
    (
        S_("Counts"),
        S_(
            "A total is taken once a day and blurred with a little random noise (part of it "
            "new each day), then rounded to a multiple of 5 (\"about 15\") and shown as "
            "\"fewer than about\" a threshold (10 unless a server chose higher) when it is "
            "small. So nobody can tell from the figures whether any one person was added, not "
            "even by comparing days or by adding accounts of their own; and only accounts at "
            "least 7 days old, in the server for at least a day, can be counted. The total "
            "across servers leaves out every server whose own figure is hidden or whose "
            "counting is off. Confirming never shows you a live number."
        ),
    ),
    (
        S_("Changing your mind"),
        S_(
            "`/metoo remove` deletes your record in that server at once. `/privacy delete` "
            "deletes every record of yours in every server. Deleted means deleted, not hidden. "
            "With the built-in database (SQLite) the data is overwritten in the database file "
            "and its log at once. With PostgreSQL the record leaves the table at once and its "
            "space is freed for reuse soon after, but its bytes can stay on the server's disk "
            "until they are reused, and the server's change log, a standby copy and the "
            "operator's backups keep it until they are replaced or expire. The same is true of "
            "any backup of the SQLite file. `/privacy mydata` sends you a copy of everything "
            "held about you, as a file only you can see."
        ),
    ),
    (
        S_("Backups"),
        S_(
            "A deleted record stays in older backups of the database until they expire. This "
            "bot's guide asks operators to keep backups encrypted and for at most {backup_days} "
            "days. If a backup were ever restored after a failure, records deleted since would "
            "come back: check with `/privacy mydata`."
        ),
    ),
    (
        S_("How long"),
        S_(
            "A record is deleted after {days} days; only an anonymous number per server "
            "remains, so the total keeps its size. When the bot leaves a server, everything of "
            "that server is deleted, including its settings and totals."
        ),
    ),
    (
        S_("If the operator's secret changes"),
        S_(
            "Your key can only be recomputed with the operator's secret. If the operator ever "
            "has to replace it (for example because it leaked), the records made with the old "
            "one can no longer be matched to anyone, so nobody could withdraw or export them. "
            "The bot then refuses to start until the operator either puts the old secret back "
            "or folds those records into the anonymous number per server and deletes them. "
            "So it never tells you that nothing is held while a record of yours still exists."
        ),
    ),
    (
        S_("Pseudonymous is still personal"),
        S_(
            "The key does not contain your id, but whoever holds the operator's secret could "
            "recompute it. So the law (GDPR) treats these records as personal data, and as "
            "sensitive data because of what \"me too\" means, and so does this bot."
        ),
    ),
    (
        S_("Safety"),
        S_(
            "Private answers can be dismissed and do not stay in the channel. If someone else "
            "may see your device or its notifications, consider using another device."
        ),
    ),
)
CONTACT_HEADING = N_("Who runs this bot")
CONTACT = N_("Questions, or a request the commands do not cover: {contact}")
NO_CONTACT = N_(
    "The operator has not published a contact. This server's admins may know who runs "
    "the bot."
)
NOT_ENABLED_HEADING = N_("Right now")
NOT_ENABLED_NOTE = N_(
    "The operator of this bot has not enabled \"me too\" counting, so it stores nothing "
    "about anyone."
)

# ----------------------------------------------------------------- mydata
MYDATA_NONE = N_(
    "The bot holds nothing about you: no \"me too\" record in any server. The attached "
    "file says the same."
)
MYDATA_SOME = N_(
    "Here is everything the bot holds about you: {records}, in the "
    "attached file. Only you can see this message. `/metoo remove` or `/privacy delete` "
    "deletes them."
)
MYDATA_RECORDS_ONE, MYDATA_RECORDS_OTHER = NP_(
    "{count} \"me too\" record",
    "{count} \"me too\" records",
)
MYDATA_ABOUT = N_(
    "Everything metoo-bot holds about you, computed when you asked. Each record is a "
    "\"me too\" you confirmed: the server's id, your pseudonymous key there "
    "(HMAC-SHA256 of the server and your account, keyed with the operator's secret), the "
    "version of the consent text you agreed to, and the UTC day. Nothing else about you "
    "is stored."
)
NOT_CONFIGURED = N_(
    "The operator of this bot has not enabled \"me too\" counting (no key is set up), so "
    "there is nothing the bot could have stored about you and nothing to look up."
)

# ----------------------------------------------------------------- delete
DELETE_PROMPT = S_(
    "This deletes every \"me too\" record of yours, in every server that uses this bot, "
    "at once. It cannot be undone (you could say \"me too\" again later if you wanted).\n\n"
    "Nothing else about you is stored, so nothing else needs deleting."
)
DELETE_LABEL = S_("Delete my data")
DELETE_CANCEL_LABEL = S_("Cancel")
DELETED = S_(
    "Deleted {records}. The bot now holds nothing about you. Totals are taken "
    "once a day, so they change from tomorrow."
)
DELETED_ONE, DELETED_OTHER = NP_("{count} record", "{count} records")
DELETED_NOTHING = S_("There was nothing stored about you, so nothing was deleted.")
DELETE_CANCELLED = S_("Nothing was deleted.")
