"""How the bot writes a phone number, wherever it comes from (the shipped
directory, an admin's local resource). Pure: no discord import."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s().\-/]+")


def written_number(number: str) -> str:
    """A phone number written the bot's one way: digits in the groups the
    service publishes, separated by single spaces; no hyphens, dots or brackets.
    "+1 800-656-4673" and "(011) 5275-1135" become "+1 800 656 4673" and
    "011 5275 1135"."""
    return _SEPARATORS.sub(" ", number).strip()
