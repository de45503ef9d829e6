"""/metoo: saying "me too", privately, into a community's anonymous count.

`cog.py` is Discord in and out (/metoo add, remove, count and the consent
buttons); `rules.py` holds the member key, the consent version, the day, who can
be counted, retention and the secret's fingerprint; `noise.py` the count's
noise and what may be shown of it; `render.py` the answers as Cards; `text.py`
the msgids.

Others use only what `__all__` lists: the panel's "Me too" button
(`start_consent`), /privacy (the member key and the day), the daily job of
lifecycle (retention and the day's figures), and the program's start-up,
`check` and `rotate-secret` (the secret's fingerprint and verdict).
Importing this package loads no discord: only `start_consent` does, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.metoo.noise import CommunityTotal, DayFigures, day_figures, noise_key
from bot.features.metoo.rules import (
    SecretVerdict,
    day_text,
    member_key,
    retention_cutoff,
    secret_fingerprint,
    secret_problem,
    secret_verdict,
    utc_day,
)

if TYPE_CHECKING:
    import discord

__all__ = [
    "CommunityTotal",
    "DayFigures",
    "SecretVerdict",
    "day_figures",
    "day_text",
    "member_key",
    "noise_key",
    "retention_cutoff",
    "secret_fingerprint",
    "secret_problem",
    "secret_verdict",
    "start_consent",
    "utc_day",
]


async def start_consent(interaction: discord.Interaction) -> bool:
    """The "me too" explanation and its two consent buttons, privately, exactly as
    `/metoo add` answers: for the panel's "Me too" button. False, with nothing
    answered, when /metoo is not loaded in this bot (the caller then says so)."""
    # Imported when called: the rules above stay importable without discord
    # (`python -m bot check`, the daily job's figures, other features' pure code).
    from bot.features.metoo.cog import start_consent as start

    return await start(interaction)
