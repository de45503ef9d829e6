"""Logging: configured once, with a filter that keeps ids, tokens and exception
messages out of every log line.

Logs never contain user ids, member keys, interaction
tokens, the bot token or secrets. Library code (discord.py's view and tree
error paths) logs item reprs and exception messages that can carry a custom
id with a user id in it, or an option value; this filter is the backstop for
all of them, whatever logged.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

# Discord snowflakes (user, guild, channel, interaction ids) are 17-20 digits.
# Any run of 17 or more digits goes, wherever it stands: inside a word
# (`user123...`), in a mention (`<@123...>`), after `id=`, before a full stop.
# Shorter numbers (counts, ports, years, versions, timestamps) stay.
_SNOWFLAKE = re.compile(r"\d{17,}")
# Discord bot tokens: base64 of the user id, a timestamp and an HMAC, joined by dots.
_DOTTED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
# Interaction and webhook tokens, hex and base64 secrets, member keys: runs of
# 32 or more base64 (either alphabet) or hex characters.
_TOKEN_RUN = re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}")
# A run made of words is not a token: file paths, dates and identifiers in
# tracebacks (`site-packages/discord/app_commands`, `2026-11-30`) are words of at
# most 21 lower-case letters and digits (the first may be a capital), or acronyms
# of up to 5 capitals (`HTTP`, `WAL`), between `/ _ - .`. Random base64 has a
# capital inside a piece, a longer piece, `+` or `=`, or (degenerate bytes) more
# separators than letters; hex has a piece of 32 characters or more.
_WORD = re.compile(r"[A-Za-z]?[a-z0-9]{0,20}|[A-Z]{2,5}")
_WORD_SEPARATORS = re.compile(r"[/_.-]")
_SEPARATOR_RUNS = re.compile(r"[/_.-]+")


def _is_words(run: str) -> bool:
    if "+" in run or "=" in run:
        return False
    pieces = [piece for piece in _WORD_SEPARATORS.split(run) if piece]
    return (
        bool(pieces)
        # Not mostly separators (degenerate bytes); a run of them counts once, so
        # that `__init__` in a path is as wordy as `init`.
        and 3 * (letters := sum(len(piece) for piece in pieces))
        >= 2 * (letters + len(_SEPARATOR_RUNS.findall(run)))
        and all(_WORD.fullmatch(piece) for piece in pieces)
    )


def _token(match: re.Match[str]) -> str:
    return match.group(0) if _is_words(match.group(0)) else "<redacted>"


def redact(text: str) -> str:
    """Ids and token-like strings replaced; tokens first, so that an id inside
    a token cannot split it into pieces too short to be recognised."""
    text = _DOTTED_TOKEN.sub(_token, text)
    text = _TOKEN_RUN.sub(_token, text)
    return _SNOWFLAKE.sub("<id>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            # Keep where it failed (file and line), never the exception's message,
            # which can quote an option value.
            where = "".join(traceback.format_tb(exc.__traceback__)[-3:]).rstrip()
            message = f"{message} [{type(exc).__name__}]\n{where}"
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message)
        record.args = None
        return True


# Libraries whose DEBUG lines carry what must never be logged: discord.py logs raw
# gateway payloads and URLs with interaction tokens; aiosqlite logs every SQL call
# with its parameters (member keys among them). Held at INFO or above.
HELD_AT_INFO = ("discord", "aiosqlite")

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """LOG_FORMAT=json: one JSON object per line (time in UTC, level, logger,
    message). The message is the one the redacting filter left, so both formats
    hold exactly the same words; a traceback's lines stay inside the message."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }, ensure_ascii=False)


def log_handler(form: str = "text") -> logging.Handler:
    """The handler of the program's log on standard error: `text` or `json`
    lines, every one through the redacting filter."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactingFilter())
    return handler


_configured = False


def configure_logging(level: str, form: str = "text") -> None:
    """Configure logging once per process (LOG_LEVEL, LOG_FORMAT).

    The discord and aiosqlite loggers are held at INFO or above even when
    LOG_LEVEL is DEBUG (see HELD_AT_INFO).
    """
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if not _configured:
        root.addHandler(log_handler(form))
        _configured = True
    for name in HELD_AT_INFO:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
