"""bot.kit.safe_text: admin text and typed text made safe to show."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kit import safe_text

MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)", re.IGNORECASE)


# ---------------------------------------------------------------- admin text
@settings(max_examples=300)
@given(st.text(max_size=300), st.one_of(st.none(), st.integers(min_value=1, max_value=500)))
def test_neutralised_text_never_carries_a_mention(raw: str, limit: int | None) -> None:
    shown = safe_text.neutralise(raw, limit)
    assert not MENTION.search(shown)
    assert "\n" not in shown and "\u202e" not in shown
    if limit is not None:
        assert len(shown) <= limit
        # No dangling escape before the ellipsis.
        body = shown.removesuffix("…")
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


@pytest.mark.parametrize("raw, shown", [
    ("**bold** and _it_", "\\*\\*bold\\*\\* and \\_it\\_"),
    ("[click](https://evil.example)", "\\[click\\]\\(https://evil.example\\)"),
    ("# Heading", "\\# Heading"),
    ("-# small", "\\-# small"),
    ("> quote", "\\> quote"),
    ("1. list", "1\\. list"),
    ("`code` ||spoiler|| ~~gone~~", "\\`code\\` \\|\\|spoiler\\|\\| \\~\\~gone\\~\\~"),
    ("a - b # c", "a - b # c"),  # only markdown at the start of a line
    ("@everyone", "@\u200beveryone"),
    ("<@123>", "\\<\u200b@123\\>"),
])
def test_neutralise_escapes_markdown_and_breaks_mentions(raw: str, shown: str) -> None:
    assert safe_text.neutralise(raw) == shown


# ---------------------------------------------------------------- text a person typed
# Hostile pieces hypothesis mixes into typed text: mentions, links, direction
# and zero-width characters, markdown.
HOSTILE = st.sampled_from([
    "@everyone", "@here", "@EVERYONE", "<@123>", "<@!123>", "<@&45>", "<#67>", "</cmd:89>",
    "https://evil.example/x", "http://a.b", "HTTPS://X.Y", "www.evil.example", "discord.gg/abc",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200e", "\u200f", "\u061c", "\r\n", "\x00",
    "**", "__", "`", "||", "> ", "# ", "[a](b)", "@", "<", ">", "://", "ever", "one", "h",
])
TYPED = st.lists(st.one_of(HOSTILE, st.text(max_size=12)), max_size=12).map("".join)
DIRECTION = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@settings(max_examples=500)
@given(TYPED, st.integers(min_value=1, max_value=120))
def test_typed_text_removes_mentions_links_control_and_direction(raw: str, limit: int) -> None:
    shown = safe_text.typed_text(raw, limit)
    assert len(shown) <= limit
    assert not safe_text.has_mention(shown), shown
    assert not re.search(r"@(everyone|here)", shown, re.IGNORECASE), shown
    assert "://" not in shown and "www." not in shown.casefold(), shown
    assert not DIRECTION & set(shown)
    assert not any(
        unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") for c in shown
    ), shown
    assert all(c in "\u200c\u200d" or 0xE0020 <= ord(c) <= 0xE007F
               for c in shown if unicodedata.category(c) == "Cf"), shown


def test_typed_text_keeps_what_is_harmless() -> None:
    assert safe_text.typed_text("germny", 60) == "germny"
    assert safe_text.typed_text("Côte d'Ivoire", 60) == "Côte d'Ivoire"
    assert safe_text.typed_text("*bold*", 60) == "\\*bold\\*"  # shown as typed, not formatted
    assert safe_text.typed_text("\u202egermny @everyone https://x.example", 60) == "germny"
    assert safe_text.typed_text("@ever@everyoneyone", 60) == ""  # no mention left behind


# ---------------------------------------------------------------- the bot's own data
MARKDOWNISH = st.lists(st.sampled_from([*"ab 1\n*_~|`\\>#-[]()<>:/.", "https://",
                                        "http://x.org/a_b", "<https://x.org/*>", ">>> ", "## "]),
                       max_size=30).map("".join)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=200), MARKDOWNISH))
def test_data_is_escaped_as_discord_py_escapes_it(raw: str) -> None:
    import discord

    assert safe_text.escape_data(raw) == discord.utils.escape_markdown(raw)


def test_data_markdown_is_shown_literally_and_links_stay() -> None:
    assert safe_text.escape_data("*765 (free)") == "\\*765 (free)"
    assert safe_text.escape_data("see https://x.org/a_b") == "see https://x.org/a_b"
