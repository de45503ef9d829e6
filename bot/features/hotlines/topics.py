"""The topics a support line can serve, the ways to reach one, and the msgids
of their labels.

Pure: no discord import. The values are what the data file, the custom ids of
the country menu and the /hotline topic and contact options carry; the order is
the order of each menu.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from bot.i18n.translator import N_

EMERGENCY: Final = "emergency"
TOPICS: Final[tuple[str, ...]] = (
    "sexual-assault",
    "harassment-at-work",
    "domestic-violence",
    "crisis",
    "lgbtq",
    "youth",
    EMERGENCY,
)
DEFAULT_TOPIC: Final = "sexual-assault"
CRISIS: Final = "crisis"

# The needs every country should have a line for: /resources lists a
# country's lines for these, and the README's coverage table counts them.
CORE_NEEDS: Final[tuple[str, ...]] = ("sexual-assault", "domestic-violence", CRISIS, EMERGENCY)
CORE_TOPICS: Final[tuple[str, ...]] = tuple(t for t in CORE_NEEDS if t != EMERGENCY)

# Topic -> the msgid of its label (the /hotline topic choices, titles, and the
# topics named by /config country). Show a label only through `tr`.
TOPIC_LABELS: Final[Mapping[str, str]] = MappingProxyType({
    "sexual-assault": N_("Sexual assault"),
    "harassment-at-work": N_("Sexual harassment at work"),
    "domestic-violence": N_("Domestic violence"),
    CRISIS: N_("Crisis and suicide"),
    "lgbtq": N_("LGBTQ+"),
    "youth": N_("Children and young people"),
    EMERGENCY: N_("Emergency"),
})


def known_topic(topic: str | None) -> str:
    """`topic` when it is one of TOPICS, else the default: a topic arrives from
    an option or a custom id, and either can hold anything."""
    return topic if topic is not None and topic in TOPICS else DEFAULT_TOPIC


# How a person wants to reach a line: any way, by phone, by text (SMS or a
# messaging app) or by web chat; for someone who cannot speak on the phone.
ANY: Final = "any"
CALL: Final = "call"
TEXT: Final = "text"
CHAT: Final = "chat"
CONTACTS: Final[tuple[str, ...]] = (ANY, CALL, TEXT, CHAT)

# Contact -> the msgid of its label (the /hotline contact choices).
CONTACT_LABELS: Final[Mapping[str, str]] = MappingProxyType({
    ANY: N_("Any way"),
    CALL: N_("Call"),
    TEXT: N_("Text (SMS or a messaging app)"),
    CHAT: N_("Online chat"),
})


def known_contact(contact: str | None) -> str:
    """`contact` when it is one of CONTACTS, else any way: like a topic, it
    arrives from an option or a custom id."""
    return contact if contact is not None and contact in CONTACTS else ANY
