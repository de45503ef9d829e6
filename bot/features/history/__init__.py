"""/history: the Me Too movement's history, with sources: an overview, a paged
timeline, topics in depth, and every source.

Other features may use only what `__all__` lists: `send_overview`, the answer
behind the panel's "Learn more" button.

Importing this package (as every module of it does) must not import discord:
its pure modules (model, loader, search, render, text) are imported through it.
So the answer's Discord side is imported when it is called, and the pure
modules import each other by their full names (`bot.features.history.model`),
never through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import discord

__all__ = ["send_overview"]


async def send_overview(interaction: discord.Interaction) -> None:
    """Answer `interaction` privately with the overview of the movement's history,
    after its content note, in the person's language."""
    from bot.features.history.cog import answer_overview

    await answer_overview(interaction)
