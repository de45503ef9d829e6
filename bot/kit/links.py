"""The web pages the bot's content links to, for `python -m bot check --online`.

Pure: no discord import. A data feature's loader lists its links (`links()`) as
`Link`s: where the link is (for the report), the digits of the numbers that page
should mention, and whether the bot shows the page beside a support line (then a
dead page makes the check fail).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    where: str  # "hotline us-rainn website": which entry and which of its fields
    digits: tuple[str, ...] = ()  # numbers as bare digits, as the page may write them
    shown: bool = False  # shown in an answer beside a support line or as the way to help
