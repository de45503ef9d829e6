"""Text from people, made safe to show in Discord.

Pure: no discord import. Two kinds of text reach an answer from outside:
admin text that is stored and shown to others (`neutralise`: markdown escaped,
mentions broken), and text a person typed that a private answer repeats back
(`typed_text`: mentions and links removed outright). The character checks
(control and direction characters, blank look-alikes, mentions) are shared
with the validation of admin input.
"""

from __future__ import annotations

import re
import unicodedata

from bot.kit.cards import truncate

# Mentions Discord would render: @everyone, @here, <@user>, <@!user>, <@&role>,
# <#channel>, </command:id>. Refused in admin text, broken on display, removed
# from echoed text.
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Format characters that real text needs: the zero-width joiner and non-joiner
# (emoji sequences, Persian and Indic scripts) and the tag characters of
# subdivision flags. Every other format character (bidi overrides, zero-width
# spaces) and every control character is refused.
_ALLOWED_FORMAT = frozenset("\u200c\u200d") | frozenset(chr(c) for c in range(0xE0020, 0xE0080))
ZERO_WIDTH_SPACE = "\u200b"
# Letters and symbols that draw nothing: the Hangul fillers, the braille blank
# and the musical null notehead, the usual ways to make a name look empty while
# passing a "not blank" check.
_BLANK_GRAPHICS = frozenset("\u115f\u1160\u3164\uffa0\u2800\U0001d159")

# Characters that start Discord markdown anywhere in a line, and those that only
# do at the start of a line (headings, subtext, lists, quotes).
_MARKDOWN_ANYWHERE = frozenset("\\*_~`|[]()<>")
_MARKDOWN_LINE_START = frozenset("#->+")
_ORDERED_LIST = re.compile(r"^(\s*\d+)\.", re.MULTILINE)


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs, bidi overrides, zero-width spaces, lone surrogates."""
    for char in text:
        if char in _ALLOWED_FORMAT:
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return True
    return False


def has_visible_character(text: str) -> bool:
    """At least one character that draws something by itself: a letter, digit,
    punctuation mark or symbol. Spaces, format characters, combining marks on
    their own and the blank letters above do not count."""
    return any(
        unicodedata.category(c)[0] in "LNPS" and c not in _BLANK_GRAPHICS for c in text
    )


def has_mention(text: str) -> bool:
    return _MENTION.search(text) is not None


def neutralise_mentions(text: str) -> str:
    """Break every mention so it renders as plain text (a zero-width space after
    the @ or the <), whatever allowed_mentions says."""
    return _MENTION.sub(lambda m: m.group(0)[0] + ZERO_WIDTH_SPACE + m.group(0)[1:], text)


def escape_markdown(text: str) -> str:
    """Backslash-escape what Discord would read as markdown, so admin text shows
    exactly as typed (Discord renders a backslash before punctuation as the
    character itself)."""
    out: list[str] = []
    at_line_start = True
    for char in text:
        if char in _MARKDOWN_ANYWHERE or (at_line_start and char in _MARKDOWN_LINE_START):
            out.append("\\")
        out.append(char)
        if char == "\n":
            at_line_start = True
        elif not char.isspace():
            at_line_start = False
    # "1. text" would become a numbered list: escape its dot.
    return _ORDERED_LIST.sub(r"\1\\.", "".join(out))


# Markdown in the bot's own data, as discord.py's `escape_markdown` finds it
# (its default: links left alone): the marks * _ ~ | ` and backslash, a quote
# or heading or list dash at the start of a line, and masked links.
_DATA_URL = r"(?P<url><[^: >]+:\/[^ >]+>|(?:https?|steam):\/\/[^\s<]+[^<.,:;\"\'\]\s])"
_DATA_MARKDOWN = re.compile(
    rf"(?:{_DATA_URL}|(?P<markdown>[_\\~|\*`]|^>(?:>>)?\s|\[.+\]\(.+\)|^#{{1,3}}|^\s*-))",
    re.MULTILINE,
)


def escape_data(text: str) -> str:
    """Text of the bot's own data files (a hotline's hours, an organisation's
    name) shown literally: "*765" stays "*765", not italics. Lighter than
    `escape_markdown` (which is for text from people): only what Discord would
    format is escaped, and links stay clickable. The same output as
    discord.utils.escape_markdown, without importing discord."""
    return _DATA_MARKDOWN.sub(lambda m: m["url"] or "\\" + m["markdown"], text)


def neutralise(text: str, limit: int | None = None) -> str:
    """Admin text made safe to display: control characters dropped, markdown
    escaped, mentions broken; cut to `limit` characters (with an ellipsis)
    without leaving a dangling escape."""
    text = "".join(
        " " if c in "\r\n\t" else c for c in text
        if c in _ALLOWED_FORMAT or c in "\r\n\t"
        or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
    )
    shown = neutralise_mentions(escape_markdown(text))
    return shown if limit is None else truncate(shown, limit)


# Text a person typed that an answer repeats back to them ("We couldn't find a
# country called ..."): mentions and links (anything with "://", anything that
# looks like a domain name) are removed outright, not broken, and so is every
# control or direction character.
_MENTION_TOKEN = re.compile(r"@(everyone|here)|<(@[!&]?|#|/)[^<>]*>?", re.IGNORECASE)
_LINK_TOKEN = re.compile(  # a scheme, a dotted name, or "www." that a reader takes for one
    r"\S*://\S*|\S*\w\.[a-z]{2,}\S*|\S*www\.\S*", re.IGNORECASE
)


def _shown_character(char: str) -> bool:
    return char in _ALLOWED_FORMAT or unicodedata.category(char) not in (
        "Cc", "Cf", "Cs", "Zl", "Zp"
    )


def typed_text(text: str, limit: int) -> str:
    """What a person typed, made safe to repeat to them in a PRIVATE answer
    (never in a public one): control and direction characters, links and
    mentions removed, spaces collapsed, markdown escaped, at most `limit`
    characters. The one sanitiser for echoed input; admin text that is stored
    and shown to others goes through `neutralise` (refused at input instead)."""
    text = "".join(c if _shown_character(c) else " " for c in text[: limit * 4])
    text = unicodedata.normalize("NFC", text)
    previous = None
    while previous != text:  # removing one token may join the halves of another
        previous = text
        text = _MENTION_TOKEN.sub("", _LINK_TOKEN.sub("", text))
    return neutralise(_SPACES.sub(" ", text).strip(), limit)
