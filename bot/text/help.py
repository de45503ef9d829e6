"""Strings of /help."""

TITLE = "About this bot"
INTRO = (
    "This bot helps people learn about the Me Too movement, find a support line for their "
    "country, and, only if they choose and this server has turned it on, add themselves to "
    'an anonymous count of people who say "me too".\n\n'
    "Answers are private by default: only you see them."
)
COMMANDS_HEADING = "Commands"
ADMIN_HEADING = "For server admins (Manage Server)"
PRIVACY_HEADING = "Privacy"
PRIVACY = (
    'The bot reads no messages. It stores nothing about you unless you confirm a "me too". '
    "`/privacy info` explains what is kept and how to delete it."
)
CONTACT_HEADING = "Contact"
CONTACT = "This bot is run by: {contact}"
SUPPORT_HOTLINE = "`/hotline` finds support lines for your country."
