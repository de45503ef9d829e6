"""Texts every feature shares: errors, refusals and the answer to a button that
is no longer active. Calm, plain and kind. Msgids of the translator (N_)."""

from bot.i18n.translator import N_

ERROR_GENERIC = N_(
    "Sorry, something went wrong on our side while answering that. "
    "Please try again in a moment. If you need support now, `/hotline` lists help lines."
)
ERROR_BAD_INPUT = N_("Sorry, I could not use that value. Please check it and try again.")
ERROR_GUILD_ONLY = N_("This command works inside a server, not in direct messages.")
# A command that needs the bot in the server, used in a server that has not added it.
ERROR_BOT_NOT_IN_SERVER = N_(
    "This command works only in a server that has added this bot. "
    "`/hotline`, `/history`, `/privacy` and `/help` work anywhere."
)
ERROR_NO_PERMISSION = N_(
    "Only members with the Manage Server permission can change this bot's settings here."
)
ERROR_COOLDOWN = N_("Please wait a few seconds before trying that again.")
# A write refused by the throttle (FeatureCog.throttled): nothing was changed.
THROTTLED = N_("Please wait a few seconds before trying that again. Nothing changed.")
ERROR_DATABASE_BUSY = N_(
    "Sorry, I could not save that just now because storage is busy or unavailable. "
    "Nothing was changed. Please try again in a few minutes."
)
# A press on a button or menu the bot no longer knows (an older version's, or a
# tampered or expired one): the one answer for every feature.
BUTTON_INACTIVE = N_(
    "This button is no longer active, so nothing changed. "
    "Run the command again to get a current one."
)
# The `public` option of a command that answers privately by default.
PUBLIC_OPTION = N_("Post the answer visibly in the channel (default: only you see it).")
# After a private answer to someone who asked for a public one where the bot
# cannot post (a DM, a group DM, a server that has not added the bot).
PUBLIC_NEEDS_THE_BOT = N_(
    "Only you can see this answer. The bot can post for everyone to see only in a server "
    "that has added it; here its answers stay private."
)
# The title of a card that goes on where the one before it ran out of room.
CONTINUED = N_("{title} (continued)")
# Beside data (history, hotline details) shown in English because it has no
# translation in the reader's language yet: once per answer (bot.kit.content).
NOT_TRANSLATED = N_("Not yet translated: shown in English.")
