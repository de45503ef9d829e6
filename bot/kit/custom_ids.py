"""Every custom id the bot puts on a button or menu, built and read in one place.

Pure: no discord import. One frozen dataclass per kind of component: `encode()`
gives the custom id to send, `TEMPLATE` is the regular expression that
discord.py's DynamicItem routes presses with, and `from_match()` (or `parse()`
for a whole string) reads a pressed id back. Persistent ids must keep working
after an upgrade: every format the bot ever posted still parses (pinned by
tests/kit/test_custom_ids.py). A new kind gets a dataclass here.

Tags. A custom id comes back from the client as it is: a modified client can
send any string. Where the id carries state the bot trusts (who may press it,
when it was made), it ends with a tag, an HMAC of the rest, so a forged owner
or time is refused (`authentic()`). Ids without state (a choice and nothing
else) need no tag: whoever presses acts only on themselves. The key is derived,
with a fixed label, from a secret only the operator holds: ACK_SECRET when set,
else the bot token (ACK_SECRET may be absent when /metoo is off). Changing
either makes older buttons answer "no longer active". The key is never logged
or stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Self, cast

from bot.kit.cards import Limits

# ---------------------------------------------------------------- tags
KEY_LABEL = b"metoo-bot/custom-id-tag/v1"
TAG_BYTES = 8  # 64 bits: each forgery attempt costs a press, answered by Discord's limits
TAG_LENGTH = 11  # base64url characters of TAG_BYTES, without padding
# What a tag looks like in a template: lenient, so an id with a malformed tag
# still reaches the button and gets the kind refusal instead of silence.
TAG_PATTERN = r"[A-Za-z0-9_-]{0,22}"
_TAG = re.compile(rf"[A-Za-z0-9_-]{{{TAG_LENGTH}}}")
_OPTIONAL_TAG = r"(?::(?P<tag>" + TAG_PATTERN + r"))?"


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


def _fits(custom_id: str) -> str:
    if len(custom_id) > Limits.CUSTOM_ID:
        raise ValueError(f"a custom id is at most {Limits.CUSTOM_ID} characters")
    return custom_id


class _Codec:
    """What every kind shares: `parse` through its own TEMPLATE."""

    TEMPLATE: ClassVar[str]

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        raise NotImplementedError

    @classmethod
    def parse(cls, custom_id: str) -> Self | None:
        """The id a press sent, read back; None when it is not of this kind."""
        match = re.fullmatch(cls.TEMPLATE, custom_id)
        return None if match is None else cls.from_match(match)


# ---------------------------------------------------------------- kinds without state
PanelAction = Literal["metoo", "support", "learn"]
PANEL_ACTIONS: tuple[PanelAction, ...] = ("metoo", "support", "learn")


@dataclass(frozen=True, slots=True)
class PanelId(_Codec):
    """A button of the persistent panel: `panel:<action>`."""

    action: PanelAction
    TEMPLATE: ClassVar[str] = r"panel:(?P<action>metoo|support|learn)"

    def encode(self) -> str:
        return _fits(f"panel:{self.action}")

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PanelId:
        return cls(cast(PanelAction, match["action"]))  # the template allows no other


@dataclass(frozen=True, slots=True)
class ConsentId(_Codec):
    """A consent button of /metoo add: `metoo:consent:<yes|no>:v<version>`. The
    version is of the consent text the person saw."""

    confirm: bool
    version: int
    TEMPLATE: ClassVar[str] = r"metoo:consent:(?P<choice>yes|no):v(?P<version>[0-9]{1,6})"

    def encode(self) -> str:
        return _fits(f"metoo:consent:{'yes' if self.confirm else 'no'}:v{self.version}")

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ConsentId:
        return cls(match["choice"] == "yes", int(match["version"]))


@dataclass(frozen=True, slots=True)
class DeleteId(_Codec):
    """A button of /privacy delete: `privacy:delete:<yes|no>`."""

    confirm: bool
    TEMPLATE: ClassVar[str] = r"privacy:delete:(?P<choice>yes|no)"

    def encode(self) -> str:
        return _fits(f"privacy:delete:{'yes' if self.confirm else 'no'}")

    @classmethod
    def from_match(cls, match: re.Match[str]) -> DeleteId:
        return cls(match["choice"] == "yes")


@dataclass(frozen=True, slots=True)
class CountryPickId(_Codec):
    """The country menu of a support answer without a country:
    `hotline:pick:<topic>:<0|1>[:<contact>]` (the topic asked for, whether to
    answer publicly, and the way of contact asked for; an id without one, as
    posted before there was a choice and still for "any", means any way). The
    topic and the contact are read as sent; the feature checks them."""

    topic: str
    public: bool
    contact: str = "any"
    TEMPLATE: ClassVar[str] = (
        r"hotline:pick:(?P<topic>[a-z-]{1,30}):(?P<public>[01])(?::(?P<contact>[a-z]{1,10}))?"
    )

    def encode(self) -> str:
        # "any" keeps the id it had before the choice existed.
        contact = "" if self.contact == "any" else f":{self.contact}"
        return _fits(f"hotline:pick:{self.topic}:{int(self.public)}{contact}")

    @classmethod
    def from_match(cls, match: re.Match[str]) -> CountryPickId:
        return cls(match["topic"], match["public"] == "1", match["contact"] or "any")


# ---------------------------------------------------------------- kinds with state (tagged)
PageKind = Literal["t", "s"]  # the timeline, the sources
PageStep = Literal["p", "n"]  # the previous or the next page


@dataclass(frozen=True, slots=True)
class PageId(_Codec):
    """A page button of /history timeline and sources. Everything needed to redraw
    the page travels in the id, so presses work after a restart without storing
    anything: `hist:<t|s>:<owner>:<year|_>:<category|_>:<page>:<p|n>:<data>:<tag>`
    (`data`: 6 hex digits of the history's fingerprint). An id from before tags
    still parses, and is not `authentic`."""

    kind: PageKind
    owner: int
    year: int | None
    category: str | None
    page: int
    step: PageStep
    data: str
    tag: str | None = field(default=None, compare=False)  # as pressed; None when made here
    TEMPLATE: ClassVar[str] = (
        r"hist:(?P<kind>[ts]):(?P<owner>\d{1,20}):(?P<year>-?\d{1,6}|_):"
        r"(?P<category>[A-Za-z0-9_-]{1,32}|_):(?P<page>\d{1,4}):(?P<step>[pn]):"
        r"(?P<data>[0-9a-f]{6})" + _OPTIONAL_TAG
    )

    def __post_init__(self) -> None:
        if self.category == "_":  # "_" stands for no category
            raise ValueError("a category cannot be written _")

    def body(self) -> str:
        year = "_" if self.year is None else str(self.year)
        return (f"hist:{self.kind}:{self.owner}:{year}:{self.category or '_'}:"
                f"{self.page}:{self.step}:{self.data}")

    def encode(self, key: bytes) -> str:
        return _fits(tagged(key, self.body()))

    def authentic(self, key: bytes) -> bool:
        """Whether a pressed id carries our tag (an id made here always does)."""
        return self.tag is None or verify(key, self.body(), self.tag)

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PageId:
        year, category = match["year"], match["category"]
        return cls(
            kind=cast(PageKind, match["kind"]),
            owner=int(match["owner"]),
            year=None if year == "_" else int(year),
            category=None if category == "_" else category,
            page=int(match["page"]),
            step=cast(PageStep, match["step"]),
            data=match["data"],
            tag=match["tag"] or "",
        )


@dataclass(frozen=True, slots=True)
class ResetId(_Codec):
    """A button of /config reset: `config:reset:<delete|cancel>:<user>:<at>:<tag>`,
    who asked and when (Unix seconds). The tag also binds the community, which
    is not in the id. An id from before tags still parses, and is not `authentic`."""

    delete: bool
    user_id: int
    at: int
    tag: str | None = field(default=None, compare=False)  # as pressed; None when made here
    TEMPLATE: ClassVar[str] = (
        r"config:reset:(?P<choice>delete|cancel):(?P<user>\d{1,20}):(?P<at>\d{1,12})"
        + _OPTIONAL_TAG
    )

    def body(self) -> str:
        return f"config:reset:{'delete' if self.delete else 'cancel'}:{self.user_id}:{self.at}"

    def encode(self, key: bytes, guild_id: int) -> str:
        return _fits(tagged(key, self.body(), guild_id))

    def authentic(self, key: bytes, guild_id: int) -> bool:
        """Whether a pressed id carries our tag for this community (an id made
        here always does)."""
        return self.tag is None or verify(key, self.body(), self.tag, guild_id)

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ResetId:
        return cls(match["choice"] == "delete", int(match["user"]), int(match["at"]),
                   tag=match["tag"] or "")


KINDS: tuple[type[_Codec], ...] = (PanelId, ConsentId, DeleteId, CountryPickId, PageId, ResetId)
