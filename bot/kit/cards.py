"""Cards: what one embed shows, laid out within Discord's limits, without discord.

Pure: no discord import. A feature's render module builds `Card`s; the cog turns
them into embeds through `bot.kit.embeds`. This module holds the one table of
Discord's limits, the one truncator and the one line packer of the bot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

ELLIPSIS: Final = "…"


class Limits:
    """Discord's limits on what a message shows (Discord's developer documentation:
    message, embed, component and application command objects). One table for the
    whole bot."""

    MESSAGE_CONTENT: Final = 2000
    EMBEDS_PER_MESSAGE: Final = 10
    EMBED_TITLE: Final = 256
    EMBED_DESCRIPTION: Final = 4096
    EMBED_FIELDS: Final = 25
    FIELD_NAME: Final = 256
    FIELD_VALUE: Final = 1024
    FOOTER: Final = 2048
    EMBED_TOTAL: Final = 6000  # every title, description, field, footer of a message
    BUTTON_LABEL: Final = 80
    BUTTONS_PER_MESSAGE: Final = 25  # 5 rows of 5
    SELECT_OPTION_LABEL: Final = 100
    SELECT_OPTIONS: Final = 25
    CUSTOM_ID: Final = 100
    CHOICES: Final = 25  # autocomplete answers and fixed choices of an option
    CHOICE_NAME: Final = 100
    TYPED_OPTION: Final = 100  # what autocomplete sends of a partly typed option


def truncate(text: str, limit: int) -> str:
    """`text` when it fits in `limit` characters; else cut, with an ellipsis, to at
    most `limit`. Trailing spaces before the ellipsis go, and so does a backslash
    left dangling by the cut (it would escape the ellipsis in Discord markdown)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rstrip()
    while (len(cut) - len(cut.rstrip("\\"))) % 2:  # an escape whose character was cut off
        cut = cut[:-1].rstrip()
    return cut + ELLIPSIS


def pack_lines(
    lines: Iterable[str], limit: int, *, separator: str = "\n", prefix: str = ""
) -> list[str]:
    """Join `lines` into blocks of at most `limit` characters, each starting with
    `prefix`, never splitting a line: a line that would overflow starts the next
    block (a line too long for any block is truncated). No empty block."""
    room = max(limit - len(prefix), 1)
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        line = truncate(line, room)
        if current and len(prefix + separator.join([*current, line])) > limit:
            blocks.append(prefix + separator.join(current))
            current = []
        current.append(line)
    if current:
        blocks.append(prefix + separator.join(current))
    return blocks


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """What one embed shows."""

    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str = ""

    def size(self) -> int:
        """The characters Discord counts towards a message's embed total."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )

    def problems(self, budget: int = Limits.EMBED_TOTAL) -> list[str]:
        """Why this card would not fit in a Discord embed, or in `budget` characters
        in all (empty when it fits)."""
        found = []
        if not 0 < len(self.title) <= Limits.EMBED_TITLE:
            found.append(f"title is {len(self.title)} characters")
        if len(self.description) > Limits.EMBED_DESCRIPTION:
            found.append(f"description is {len(self.description)} characters")
        if len(self.fields) > Limits.EMBED_FIELDS:
            found.append(f"{len(self.fields)} fields")
        for f in self.fields:
            if not 0 < len(f.name) <= Limits.FIELD_NAME:
                found.append(f"field name {f.name[:40]!r} is {len(f.name)} characters")
            if not 0 < len(f.value) <= Limits.FIELD_VALUE:
                found.append(f"field {f.name[:40]!r} value is {len(f.value)} characters")
        if len(self.footer) > Limits.FOOTER:
            found.append(f"footer is {len(self.footer)} characters")
        if self.size() > budget:
            found.append(f"{self.size()} characters in all (budget {budget})")
        return found

    def fits(self, budget: int = Limits.EMBED_TOTAL) -> bool:
        return not self.problems(budget)
