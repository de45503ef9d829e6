"""bot.kit.cards and bot.kit.embeds: the one truncator, the one packer, cards as embeds."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kit.cards import ELLIPSIS, Card, Field, Limits, pack_lines, truncate
from bot.kit.embeds import pack_messages, to_embed


def test_truncate_keeps_what_fits_and_marks_a_cut() -> None:
    assert truncate("Samaritans", 10) == "Samaritans"
    assert truncate("Samaritans helpline", 11) == "Samaritans" + ELLIPSIS
    assert truncate("abc \\*def", 6) == "abc" + ELLIPSIS  # no dangling escape, no space


@settings(max_examples=300)
@given(st.text(alphabet="ab \\*", max_size=60), st.integers(min_value=1, max_value=70))
def test_truncate_never_exceeds_the_limit_nor_leaves_an_escape(text: str, limit: int) -> None:
    shown = truncate(text, limit)
    assert len(shown) <= limit
    if shown != text:
        body = shown.removesuffix(ELLIPSIS)
        assert text.startswith(body) and body == body.rstrip()
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="xy ", min_size=1, max_size=30), max_size=20),
       st.integers(min_value=10, max_value=80))
def test_packed_blocks_fit_and_keep_every_line_whole_and_in_order(
    lines: list[str], limit: int
) -> None:
    blocks = pack_lines(lines, limit, separator=" · ", prefix="Call: ")
    assert all(len(b) <= limit and b.startswith("Call: ") for b in blocks)
    joined = [part for b in blocks for part in b.removeprefix("Call: ").split(" · ")]
    if all(len(line) <= limit - len("Call: ") and " · " not in line for line in lines):
        assert joined == lines
    assert bool(blocks) == bool(lines)


def test_a_card_becomes_the_embed_it_describes() -> None:
    card = Card("Title", "Text", (Field("A", "1"), Field("B", "2", inline=True)), "Foot")
    embed = to_embed(card)
    assert (embed.title, embed.description, embed.footer.text) == ("Title", "Text", "Foot")
    assert [(f.name, f.value, f.inline) for f in embed.fields] == [
        ("A", "1", False), ("B", "2", True)]
    assert len(embed) == card.size()
    assert Card("x" * (Limits.EMBED_TITLE + 1)).problems() == ["title is 257 characters"]


def test_embeds_are_grouped_into_messages_within_discord_limits() -> None:
    embeds = [discord.Embed(description="x" * 1000) for _ in range(7)]
    messages = pack_messages(embeds)
    assert [len(m) for m in messages] == [5, 2]
    assert pack_messages([discord.Embed(title="t") for _ in range(11)])[0].__len__() == 10
