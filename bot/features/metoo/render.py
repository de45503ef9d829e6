"""The /metoo answers as Cards and lines. Pure: no discord import."""

from __future__ import annotations

from datetime import date

import bot.features.metoo.text as text
from bot.features.metoo.noise import ShownCount
from bot.features.metoo.rules import CONSENT_VERSION
from bot.i18n.translator import Tr
from bot.kit.cards import Card, Field


def consent_card(tr: Tr, *, retention_days: int) -> Card:
    """The explanation a person reads before they agree: the consent text of
    CONSENT_VERSION."""
    return Card(tr(text.CONSENT_TITLE),
                tr(text.CONSENT, version=CONSENT_VERSION, days=retention_days))


def day_name(day: date) -> str:
    """A UTC day as people write it: 12 March 2026."""
    return f"{day.day} {day:%B %Y}"


def describe(tr: Tr, count: ShownCount) -> str:
    """A shown count in words: "About 15 people", "Fewer than about 10 people"."""
    if count.fewer_than is not None:
        return tr.plural(text.COUNT_FEWER_ONE, text.COUNT_FEWER_OTHER, count.fewer_than)
    assert count.about is not None
    return tr.plural(text.COUNT_ABOUT_ONE, text.COUNT_ABOUT_OTHER, count.about)


def count_card(tr: Tr, *, here: ShownCount | None, left_out_from_today: bool,
               everywhere: ShownCount) -> Card:
    """/metoo count: this community's figure (`here` None: counting is off here;
    `left_out_from_today`: it was on when today's total across servers was
    taken, so it leaves the total only from tomorrow), then the total."""
    if here is not None:
        value = describe(tr, here)
    else:
        value = tr(text.COUNT_OFF_HERE_TODAY if left_out_from_today else text.COUNT_OFF_HERE)
    return Card(
        tr(text.COUNT_TITLE),
        fields=(Field(tr(text.COUNT_HERE), value),
                Field(tr(text.COUNT_EVERYWHERE), describe(tr, everywhere))),
        footer=tr(text.COUNT_FOOTER),
    )
