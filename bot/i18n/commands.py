"""The translator, as discord.py's app_commands.Translator: command, option and
choice descriptions reach Discord's `*_localizations` through it.

Set on the command tree at start-up (MetooBot.setup_hook). Command and option
*names* stay English: only descriptions and choice names are translated.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.i18n.translator import Translator

log = logging.getLogger("bot.i18n")

_NAMES = (
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
    app_commands.TranslationContextLocation.parameter_name,
)


class CommandTranslator(app_commands.Translator):
    """Answers discord.py with the catalog's translation, or None (Discord then
    shows the English). Never raises: a missing or broken translation must not
    stop the commands from being synced."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if context.location in _NAMES:
            return None
        try:
            return self.translator.for_locale(str(locale)).lookup(string.message)
        except Exception as exc:  # never stop a sync over a translation
            log.warning("no translation of a command text for %s: %s", locale,
                        type(exc).__name__)
            return None
