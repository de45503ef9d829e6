"""Short HMAC tags for custom ids that carry state.

A button's custom id comes back from the client as it is: a modified client can
send any string. Where the id carries state the bot trusts (who may press it,
when it was made), the id ends with a tag, an HMAC of the rest, so a forged
owner or time is refused. Ids without state (a choice and nothing else) need
no tag: whoever presses acts only on themselves.

The key is derived, with a fixed label, from a secret only the operator holds:
ACK_SECRET when set, else the bot token (ACK_SECRET may be absent when /metoo
is off). Changing either makes older buttons answer "no longer active". The
key is never logged or stored.

Pure: no discord import.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

KEY_LABEL = b"metoo-bot/custom-id-tag/v1"
TAG_BYTES = 8  # 64 bits: each forgery attempt costs a press, answered by Discord's limits
TAG_LENGTH = 11  # base64url characters of TAG_BYTES, without padding
# What a tag looks like in a template: lenient, so an id with a malformed tag
# still reaches the button and gets the kind refusal instead of silence.
TAG_PATTERN = r"[A-Za-z0-9_-]{0,22}"
_TAG = re.compile(rf"[A-Za-z0-9_-]{{{TAG_LENGTH}}}")


def derive_key(ack_secret: bytes | None, token: bytes | None) -> bytes:
    """The tag key: HMAC-SHA256 of the label under ACK_SECRET, else the token.
    Without either (never when the bot runs) a random key: buttons of this
    process only."""
    source = ack_secret if ack_secret is not None else token
    if source is None:
        source = secrets.token_bytes(32)
    return hmac.new(source, KEY_LABEL, hashlib.sha256).digest()


def tag(key: bytes, body: str, *context: object) -> str:
    """The tag of a custom id's `body` (the id without its tag). `context` binds
    it to what is not in the id but must match (the community of a reset)."""
    message = "\0".join([body, *(str(part) for part in context)]).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def tagged(key: bytes, body: str, *context: object) -> str:
    """`body:tag`, the custom id to send."""
    return f"{body}:{tag(key, body, *context)}"


def verify(key: bytes, body: str, given: str | None, *context: object) -> bool:
    """Whether `given` is the tag of `body` (in constant time)."""
    if given is None or not _TAG.fullmatch(given):
        return False
    return hmac.compare_digest(given, tag(key, body, *context))
