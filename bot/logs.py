"""Logging: configured once, with a filter that keeps ids, tokens and exception
messages out of every log line.

SPEC section 4, rule 9: logs never contain user ids, member keys, interaction
tokens, the bot token or secrets. Library code (discord.py's view and tree
error paths) logs item reprs and exception messages that can carry a custom
id with a user id in it, or an option value; this filter is the backstop for
all of them, whatever logged.
"""

from __future__ import annotations

import logging
import re
import traceback

# Discord snowflakes (user, guild, channel, interaction ids) are 17-20 digits.
_SNOWFLAKE = re.compile(r"(?<![\w.])\d{15,21}(?![\w.])")
# Interaction tokens and bot tokens: long runs of base64url characters.
_TOKENISH = re.compile(r"[A-Za-z0-9_\-]{40,}(?:\.[A-Za-z0-9_\-]{4,}){0,2}")


def redact(text: str) -> str:
    return _TOKENISH.sub("<redacted>", _SNOWFLAKE.sub("<id>", text))


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

_configured = False


def configure_logging(level: str) -> None:
    """Configure logging once per process.

    The discord and aiosqlite loggers are held at INFO or above even when
    LOG_LEVEL is DEBUG (see HELD_AT_INFO).
    """
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if not _configured:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
        _configured = True
    for name in HELD_AT_INFO:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
