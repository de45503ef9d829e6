"""The /privacy answers as Cards and lines. Pure: no discord import."""

from __future__ import annotations

from bot.features.privacy import BACKUP_DAYS, text
from bot.i18n.translator import Tr
from bot.kit.cards import Card, Field


def info_card(tr: Tr, *, retention_days: int, enabled: bool, contact: str | None) -> Card:
    """/privacy info: what is stored and what never is, a note when the operator
    has not enabled counting, and who runs the bot (`contact` shown as given: the
    caller makes it unable to ping)."""
    fields = [Field(tr(name), tr(value, days=retention_days, backup_days=BACKUP_DAYS))
              for name, value in text.INFO_FIELDS]
    if not enabled:
        fields.append(Field(tr(text.NOT_ENABLED_HEADING), tr(text.NOT_ENABLED_NOTE)))
    fields.append(Field(tr(text.CONTACT_HEADING),
                        tr(text.CONTACT, contact=contact) if contact else tr(text.NO_CONTACT)))
    return Card(tr(text.INFO_TITLE), tr(text.INFO_INTRO), tuple(fields))


def mydata_message(tr: Tr, records: int) -> str:
    """What /privacy mydata says above its file."""
    if not records:
        return tr(text.MYDATA_NONE)
    return tr(text.MYDATA_SOME, records=tr.plural(
        text.MYDATA_RECORDS_ONE, text.MYDATA_RECORDS_OTHER, records))


def deleted_message(tr: Tr, deleted: int) -> str:
    """What /privacy delete says once done."""
    if not deleted:
        return tr(text.DELETED_NOTHING)
    return tr(text.DELETED, records=tr.plural(text.DELETED_ONE, text.DELETED_OTHER, deleted))
