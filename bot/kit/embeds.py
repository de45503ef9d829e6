"""Cards (bot.kit.cards) turned into discord.py embeds, and embeds grouped into messages."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.kit.cards import Card, Limits

# What a message's embeds may hold in all, with room to spare: a footer or a
# page note added late must not push a message over Discord's total.
MESSAGE_EMBED_BUDGET = Limits.EMBED_TOTAL - 200


def to_embed(card: Card) -> discord.Embed:
    """The embed that shows `card`: title, description, fields in order, footer."""
    embed = discord.Embed(title=card.title, description=card.description or None)
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed


def pack_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped, in order, into messages of at most 10 embeds and
    MESSAGE_EMBED_BUDGET characters each (an embed never split)."""
    messages: list[list[discord.Embed]] = [[]]
    for embed in embeds:
        current = messages[-1]
        total = sum(len(e) for e in current) + len(embed)
        if current and (len(current) >= Limits.EMBEDS_PER_MESSAGE
                        or total > MESSAGE_EMBED_BUDGET):
            messages.append([])
        messages[-1].append(embed)
    return [m for m in messages if m]
