"""Texts of /help (msgids of the translator)."""

from bot.i18n.translator import N_

COMMAND_DESCRIPTION = N_("What this bot does and its commands.")
TITLE = N_("About this bot")
INTRO = N_(
    "This bot helps people learn about the Me Too movement, find a support line for their "
    "country, and, only if they choose and this server has turned it on, add themselves to "
    'an anonymous count of people who say "me too".\n\n'
    "Answers are private by default: only you see them."
)
COMMANDS_HEADING = N_("Commands")
# /help in a DM, a group DM or a server that has not added the bot (a person's
# own install of the app): only the commands that work there are listed.
WITHOUT_THE_BOT = N_(
    "You are using the bot outside a server that has added it: the commands below work "
    "here, and every answer is private. In a server that has added the bot, `/resources` "
    "and `/metoo` work too."
)
ADMIN_HEADING = N_("For server admins (Manage Server)")
PRIVACY_HEADING = N_("Privacy")
PRIVACY = N_(
    'The bot reads no messages. It stores nothing about you unless you confirm a "me too". '
    "`/privacy info` explains what is kept and how to delete it."
)
CONTACT_HEADING = N_("Contact")
CONTACT = N_("This bot is run by: {contact}")
SUPPORT_HOTLINE = N_("`/hotline` finds support lines for your country.")
