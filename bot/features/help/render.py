"""The /help answer as a Card. Pure: no discord import."""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.help import text
from bot.i18n.translator import Tr
from bot.kit.cards import Card, Field, Limits, truncate


def help_card(
    tr: Tr,
    *,
    emergency: str,
    members: Sequence[str],
    admins: Sequence[str],
    contact: str | None,
    without_the_bot: bool = False,
) -> Card:
    """Emergency help first, then what everyone can use, then /config (`admins`
    empty: not shown), the privacy note and the operator's contact (shown as
    given: the caller makes it unable to ping). `without_the_bot`: asked where
    the bot is not in the server (`members` lists what works there)."""
    parts = [f"{emergency} {tr(text.SUPPORT_HOTLINE)}", tr(text.INTRO)]
    if without_the_bot:
        parts.append(tr(text.WITHOUT_THE_BOT))
    parts.append(f"**{tr(text.COMMANDS_HEADING)}**\n" + "\n".join(members))
    if admins:
        parts.append(f"**{tr(text.ADMIN_HEADING)}**\n" + "\n".join(admins))
    fields = [Field(tr(text.PRIVACY_HEADING), tr(text.PRIVACY))]
    if contact:
        fields.append(Field(tr(text.CONTACT_HEADING), tr(text.CONTACT, contact=contact)))
    return Card(tr(text.TITLE), truncate("\n\n".join(parts), Limits.EMBED_DESCRIPTION),
                tuple(fields))
