"""Checks over what the bot sent to the emulator."""

from __future__ import annotations

from bot.emulator.model import Message
from bot.emulator.server import DiscordEmulator


def unguarded_messages(emu: DiscordEmulator) -> list[str]:
    """Every message body the bot sent must carry allowed_mentions with nothing
    allowed, so that no text (an admin's resource, a name) can ever ping."""
    found = []
    for call in emu.calls:
        if call.method not in ("POST", "PATCH") or not isinstance(call.body, dict):
            continue
        body = call.body.get("data") if "callback" in call.path else call.body
        if not isinstance(body, dict) or not ({"content", "embeds"} & body.keys()):
            continue
        mentions = body.get("allowed_mentions")
        if not mentions or mentions.get("parse") or mentions.get("users") or mentions.get("roles"):
            found.append(f"{call.method} {call.path}")
    return found


def embed_text(message: Message) -> str:
    """The text of a message's embeds (titles, descriptions, fields, footers),
    without its content and buttons."""
    parts = []
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        for f in embed.get("fields", []):
            parts += [f["name"], f["value"]]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(p for p in parts if p)
