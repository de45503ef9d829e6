"""The emulator's view of Discord objects: snowflakes, users, guilds, messages.

Payload builders return dicts shaped like Discord's API v10 objects, with the
fields discord.py 2.7 reads. Nothing here knows about the bot.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Accounts the emulator makes are years old unless a test asks otherwise (a user
# id carries its account's creation time), and members joined their community
# on this day unless a test says when (Guild.joined).
ESTABLISHED_ACCOUNTS = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
DEFAULT_JOINED_AT = datetime(2026, 1, 1, tzinfo=UTC).timestamp()

# Permission bits used by tests and the console (Discord's documented values).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3

MEMBER_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD

# What an app may do where it has no bot member (Discord's "app_permissions"):
# in a DM with its bot user; in a group DM or a DM between other people; in a
# server that has not added the bot, @everyone's permissions limited to these.
BOT_DM_APP_PERMISSIONS = ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE | USE_EXTERNAL_EMOJIS
PRIVATE_APP_PERMISSIONS = ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE
USER_INSTALL_APP_PERMISSIONS = BOT_DM_APP_PERMISSIONS

# Installation contexts (application integration types) and interaction contexts.
GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD_CONTEXT, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
# The default install settings of each installation context (the portal's
# Installation page): a user install carries only applications.commands.
INSTALL_PARAMS = {
    GUILD_INSTALL: {"scopes": ["applications.commands", "bot"],
                    "permissions": str(VIEW_CHANNEL | SEND_MESSAGES)},
    USER_INSTALL: {"scopes": ["applications.commands"], "permissions": "0"},
}
ALL_CONTEXTS = (GUILD_CONTEXT, BOT_DM, PRIVATE_CHANNEL)

# Channel types.
GUILD_TEXT, DM, GROUP_DM = 0, 1, 3

EPHEMERAL = 1 << 6

_counter = itertools.count()


def snowflake(at: float | None = None) -> int:
    """A Discord snowflake; its timestamp is `at` (Unix seconds) or now."""
    ms = int((time.time() if at is None else at) * 1000)
    return ((ms - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


_accounts = itertools.count()


def account_snowflake(created_at: float | None = None) -> int:
    """A user id whose timestamp is the account's creation (Unix seconds); by
    default an established account, each one a millisecond after the last so
    that ids never repeat."""
    if created_at is None:
        created_at = ESTABLISHED_ACCOUNTS + next(_accounts) / 1000
    return snowflake(created_at)


def iso_time(at: float) -> str:
    """Discord's ISO 8601 timestamp form."""
    return datetime.fromtimestamp(at, UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.username,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Channel:
    id: int
    guild_id: int | None  # None for a DM or a group DM
    name: str
    # Permissions the bot has in this channel; tests lower it to check errors.
    bot_permissions: int = MEMBER_PERMISSIONS
    type: int = GUILD_TEXT
    recipients: list[User] = field(default_factory=list)  # a DM's or group DM's people
    owner_id: int | None = None  # a group DM's owner

    @property
    def private(self) -> bool:
        return self.type in (DM, GROUP_DM)

    def payload(self) -> dict[str, Any]:
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        if self.type == GROUP_DM:
            return {
                "id": str(self.id),
                "type": GROUP_DM,
                "name": self.name,
                "icon": None,
                "owner_id": str(self.owner_id),
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    channels: list[Channel] = field(default_factory=list)
    preferred_locale: str = "en-US"
    # When members joined (Unix seconds, by user id); absent: DEFAULT_JOINED_AT.
    joined: dict[int, float] = field(default_factory=dict)
    # The @everyone role's permissions (what a user-installed app may use here).
    everyone_permissions: int = MEMBER_PERMISSIONS

    def joined_at(self, user: User) -> float:
        return self.joined.get(user.id, DEFAULT_JOINED_AT)

    def channel(self, name_or_id: str | int | None = None) -> Channel:
        if name_or_id is None:
            return self.channels[0]
        for channel in self.channels:
            if channel.id == name_or_id or channel.name == name_or_id:
                return channel
        raise KeyError(f"no channel {name_or_id!r} in guild {self.name!r}")

    def payload(self, bot_user: User) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [
                {
                    "id": str(self.id),
                    "name": "@everyone",
                    "permissions": str(self.everyone_permissions),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": "2026-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "member_count": 2,
            "voice_states": [],
            "members": [member_payload(bot_user, MEMBER_PERMISSIONS, with_permissions=False)],
            "channels": [channel.payload() for channel in self.channels],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


def member_payload(
    user: User, permissions: int, *, with_permissions: bool = True,
    joined_at: float | None = DEFAULT_JOINED_AT,
) -> dict:
    """A guild member object. Discord sends `joined_at` null only for a guest
    member in voice-state events, never in an interaction."""
    data: dict[str, Any] = {
        "user": user.payload(),
        "nick": None,
        "avatar": None,
        "roles": [],
        "joined_at": None if joined_at is None else iso_time(joined_at),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }
    if with_permissions:
        data["permissions"] = str(permissions)
    return data


@dataclass
class Message:
    """A message the bot sent, as the emulator stored it."""

    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    flags: int = 0
    attachments: list[dict] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    allowed_mentions: dict | None = None
    guild_id: int | None = None
    interaction_token: str | None = None
    deleted: bool = False
    answered: bool = False  # a deferred "thinking" message that has been filled

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def apply(self, body: dict) -> None:
        """Apply a create or edit body (only the fields present change)."""
        if "content" in body:
            self.content = body["content"] or ""
        if "embeds" in body:
            self.embeds = list(body["embeds"] or [])
        if "components" in body:
            self.components = list(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            self.flags = (self.flags & EPHEMERAL) | int(body["flags"])
        if "allowed_mentions" in body:
            self.allowed_mentions = body["allowed_mentions"]
        if "attachments" in body:
            kept = {str(a.get("id")) for a in body["attachments"] or []}
            self.attachments = [a for a in self.attachments if str(a["id"]) in kept]

    def text(self) -> str:
        """Everything a person would read in the message, as plain text."""
        parts = [self.content]
        for embed in self.embeds:
            parts.append(embed.get("author", {}).get("name", ""))
            parts.append(embed.get("title", ""))
            parts.append(embed.get("description", ""))
            for fld in embed.get("fields", []):
                parts.append(fld.get("name", ""))
                parts.append(fld.get("value", ""))
            parts.append(embed.get("footer", {}).get("text", ""))
        for item in self.buttons():
            parts.append(item.get("label", ""))
        return "\n".join(p for p in parts if p)

    def buttons(self) -> list[dict]:
        return [c for c in _walk(self.components) if c.get("type") == 2]

    def selects(self) -> list[dict]:
        return [c for c in _walk(self.components) if c.get("type") in (3, 5, 6, 7, 8)]

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": "2026-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.attachments,
            "embeds": self.embeds,
            "pinned": False,
            "type": 0,
            "flags": self.flags,
            "components": self.components,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


def _walk(components: list[dict]) -> list[dict]:
    found: list[dict] = []
    for component in components:
        found.append(component)
        found.extend(_walk(component.get("components", [])))
    return found


def shard_for(guild_id: int | None, shard_count: int) -> int:
    """The shard Discord sends a guild's events to; events without a guild (DMs)
    go to shard 0."""
    if guild_id is None:
        return 0
    return (guild_id >> 22) % shard_count
