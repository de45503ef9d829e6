"""Strings shared by every feature: errors and refusals. Calm, plain and kind."""

ERROR_GENERIC = (
    "Sorry, something went wrong on our side while answering that. "
    "Please try again in a moment. If you need support now, `/hotline` lists help lines."
)
ERROR_BAD_INPUT = "Sorry, I could not use that value. Please check it and try again."
ERROR_GUILD_ONLY = "This command works inside a server, not in direct messages."
ERROR_NO_PERMISSION = (
    "Only members with the Manage Server permission can change this bot's settings here."
)
ERROR_COOLDOWN = "Please wait a few seconds before trying that again."
ERROR_DATABASE_BUSY = (
    "Sorry, I could not save that just now because storage is busy or unavailable. "
    "Nothing was changed. Please try again in a few minutes."
)
# A press on a button or menu the bot no longer knows (an older version's, or a
# tampered or expired one): the one answer for every feature.
BUTTON_INACTIVE = (
    "This button is no longer active, so nothing changed. "
    "Run the command again to get a current one."
)
