"""`python -m bot console`: try every command without Discord.

Starts the local Discord emulator and the real bot (same code path as
production, embedded SQLite), then reads slash commands as typed in Discord
and prints the bot's answers as text. Buttons are pressed by number or label.

The emulator and the bot run on an event loop in a background thread; the
main thread reads the terminal (or the script). So Ctrl+C, at the prompt or
while waiting for an answer, reaches the main thread at once and ends the
session as cleanly as Ctrl+D.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import re
import signal
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

import discord
from discord.ext.commands import ExtensionError

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    DISCORD_EPOCH_MS,
    MEMBER_PERMISSIONS,
    Channel,
    Guild,
    Message,
    User,
)
from bot.emulator.server import (
    BOOLEAN,
    CHANNEL,
    INTEGER,
    NUMBER,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    DiscordEmulator,
    EmulatorError,
    Interaction,
)
from bot.local import LocalBot, start_local_bot
from bot.logs import configure_logging
from bot.storage import DatabaseUrl, StorageError, describe_database

INTRO = """\
metoo-bot console: a local Discord with the real bot. Nothing leaves this machine.
Type a slash command as in Discord, e.g.  /hotline country:GB topic:crisis
  option values with spaces:      /config resource-add name:Campus help description:Free and ...
  suggestions for an option:      /hotline country:germ?   (or topic:? for its choices)
  press a button:                 press 1   (or its number alone, or: press Next)
  choose in a menu:               select GB
  who you are:                    as admin | as member | user friend | user you | locale de
  'commands' lists the commands, 'help' shows this, 'quit' (or Ctrl+D, Ctrl+C) leaves."""

REPLY_TIMEOUT = 15.0
SETTLE = 0.3  # seconds to wait for follow-ups and channel posts after an answer
SHUTDOWN_TIMEOUT = 5.0  # seconds for the bot and the emulator to stop, then the loop

# Fixed ids, so that a community kept with --database is the same community in
# the next run (start-up reconciliation deletes communities the bot is not in),
# and "you" keep the same pseudonymous key. Snowflakes of 2024-01-01.
_CONSOLE_EPOCH_MS = 1_704_067_200_000


def console_id(number: int) -> int:
    return ((_CONSOLE_EPOCH_MS - DISCORD_EPOCH_MS) << 22) | number


CONSOLE_GUILD_ID = console_id(1)
USER_IDS = {"you": console_id(2), "friend": console_id(3)}
# The README's examples use #welcome and #mod-log; other names are created when used.
FIRST_CHANNELS = ("general", "announcements", "welcome", "mod-log")
# Discord's rule for a text channel name: lower case, no spaces, at most 100.
CHANNEL_NAME = re.compile(r"[a-z0-9_-]{1,100}")
LOCALES = tuple(locale.value for locale in discord.Locale)


def channel_id(name: str) -> int:
    """The same name gives the same channel in every run."""
    return console_id(0x1000 + zlib.crc32(name.encode()) % 0x3FF000)


class ConsoleError(Exception):
    """A file or path the console cannot use; one line for the person."""


@dataclass
class ConsoleState:
    emulator: DiscordEmulator
    guild: Guild
    users: dict[str, User]
    user: str = "you"
    admin: bool = True
    locale: str = "en-US"
    last: Message | None = None
    seen: set[int] = field(default_factory=set)

    @property
    def permissions(self) -> int:
        return ADMIN_PERMISSIONS if self.admin else MEMBER_PERMISSIONS


# ------------------------------------------------------------------ parsing
def parse_command(line: str, definitions: list[dict]) -> tuple[str, dict[str, Any], str | None]:
    """'/config country code:GB' -> ('config country', {'code': 'GB'}, None).

    As in Discord, a value runs until the next `option:` of this command, so
    spaces need no quotes (`name:Campus help`); quotes around a whole value are
    removed. A value ending in '?' asks for suggestions where Discord would offer
    some (or is '?' alone): the third item names the option.
    """
    words = line.strip().lstrip("/").split()
    path: list[str] = []
    for word in words:
        if ":" in word:
            break
        path.append(word)
    definition = _definition(path, definitions)
    by_name = {o["name"]: o for o in definition.get("options", [])}
    rest = line.strip().lstrip("/")
    for word in path:
        rest = rest.lstrip()[len(word):]
    rest = rest.strip()
    values: dict[str, Any] = {}
    focused = None
    if not rest:
        _check_required(path, definition, values)
        return " ".join(path), values, None
    names = sorted(by_name, key=len, reverse=True)
    starts = list(re.finditer(r"(?<!\S)(" + "|".join(map(re.escape, names)) + r"):", rest)) \
        if names else []
    if not starts or starts[0].start() != 0:
        first = rest.split()[0]
        known = ", ".join(by_name) or "none"
        if ":" not in first:
            raise ValueError(f"/{' '.join(path)} takes options as name:value (options: {known})")
        name = first.split(":", 1)[0]
        raise ValueError(f"/{' '.join(path)} has no option {name!r} (options: {known})")
    index = 0
    while index < len(starts):
        match, following = starts[index], index + 1
        value = rest[match.end():]
        quote = value.lstrip()[:1]
        if quote in ("\"", "'"):  # a quoted value may contain "name:" of another option
            opened = match.end() + len(value) - len(value.lstrip())
            closed = rest.find(quote, opened + 1)
            while closed != -1 and following < len(starts) and starts[following].start() < closed:
                following += 1
        end = starts[following].start() if following < len(starts) else len(rest)
        index = following
        name = match.group(1)
        raw = _unquote(name, rest[match.end():end].strip())
        if name in values or name == focused:
            raise ValueError(f"{name} is given twice")
        if raw.endswith("?") and focused is None and (raw == "?" or _suggests(by_name[name])):
            focused = name
            values[name] = raw[:-1]
            continue
        values[name] = _convert(by_name[name], raw)
    if focused is None:
        _check_required(path, definition, values)
    return " ".join(path), values, focused


def _suggests(option: dict) -> bool:
    """Whether Discord offers values for this option as one types. Elsewhere a
    trailing '?' is part of the text (description:Need help?), unless it is all."""
    return bool(option.get("autocomplete") or option.get("choices")
                or option["type"] in (BOOLEAN, CHANNEL))


def _unquote(name: str, raw: str) -> str:
    if raw[:1] in ("\"", "'"):
        if len(raw) < 2 or raw[-1] != raw[0]:
            raise ValueError(f"the value of {name} has an opening quotation mark without a "
                             "closing one")
        return raw[1:-1]
    return raw


def _check_required(path: list[str], definition: dict, values: dict[str, Any]) -> None:
    missing = [o["name"] for o in definition.get("options", [])
               if o.get("required") and o["name"] not in values]
    if missing:
        needed = " ".join(f"{name}:..." for name in missing)
        raise ValueError(f"/{' '.join(path)} needs {needed}")


def _definition(path: list[str], definitions: list[dict]) -> dict:
    if not path:
        raise ValueError("type a command name after the slash, e.g. /help")
    node = next((d for d in definitions if d["name"] == path[0]), None)
    if node is None:
        raise ValueError(f"no command /{path[0]}; type 'commands' to list them")
    for depth, part in enumerate(path[1:], start=1):
        subs = [o for o in node.get("options", []) if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not subs:
            known = ", ".join(o["name"] for o in node.get("options", [])) or "none"
            raise ValueError(f"/{' '.join(path[:depth])} takes options as name:value "
                             f"(options: {known})")
        node = next((o for o in subs if o["name"] == part), None)
        if node is None:
            raise ValueError(f"/{' '.join(path)} is not a command; type 'commands'")
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in node.get("options", [])):
        names = ", ".join(o["name"] for o in node["options"])
        raise ValueError(f"/{' '.join(path)} needs one of: {names}")
    return node


def _convert(option: dict, raw: str) -> Any:
    kind = option["type"]
    choices = option.get("choices")
    if choices:
        for choice in choices:
            if raw.casefold() in (str(choice["value"]).casefold(), choice["name"].casefold()):
                return choice["value"]
        names = ", ".join(str(c["value"]) for c in choices)
        raise ValueError(f"{option['name']} must be one of: {names}")
    if kind == BOOLEAN:
        if raw.lower() in ("true", "yes", "on", "1"):
            return True
        if raw.lower() in ("false", "no", "off", "0"):
            return False
        raise ValueError(f"{option['name']} takes true or false")
    if kind == INTEGER:
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{option['name']} takes a whole number") from None
    if kind == NUMBER:
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{option['name']} takes a number") from None
    if kind == CHANNEL:
        return raw.strip().removeprefix("<").removesuffix(">").lstrip("#")
    return raw


def command_names(definitions: list[dict]) -> list[str]:
    names: list[str] = []

    def walk(node: dict, prefix: str) -> None:
        subs = [o for o in node.get("options", [])
                if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not subs:
            names.append(prefix)
        for sub in subs:
            walk(sub, f"{prefix} {sub['name']}")

    for definition in definitions:
        walk(definition, "/" + definition["name"])
    return sorted(names)


def _option(path: str, name: str, definitions: list[dict]) -> dict:
    definition = _definition(path.split(), definitions)
    return next(o for o in definition.get("options", []) if o["name"] == name)


# ---------------------------------------------------------------- rendering
_CODE = re.compile(r"(```.*?```|`[^`\n]+`)", re.S)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Discord escapes ASCII punctuation
_MENTION = re.compile(r"<(#|@!?|@&)(\d{1,20})>")
_TIMESTAMP = re.compile(r"<t:(-?\d{1,13})(?::[tTdDfFsSR])?>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w{1,32}):\d{1,20}>")
_MASKED_LINK = re.compile(r"\[([^\]\n]+)\]\(<?(https?://[^\s)>]+)>?\)")
_ANGLE_LINK = re.compile(r"<(https?://[^\s>]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])([^\n]+?)(?<=[^\s*_])\1(?![\w*])")
_HEADING = re.compile(r"^(?:#{1,3}|-#) +", re.M)
_PRIVATE_BASE = 0xF0000  # a private-use plane: escaped characters wait here


@dataclass
class Names:
    """What a mention refers to, for rendering."""

    channels: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)


def plain(text: str, names: Names | None = None) -> str:
    """Discord markdown as a person would read it: mentions as names, links as
    "text (address)", bold and italics without their asterisks. Code spans are
    left as typed; backslash-escaped characters show as the character."""
    names = names or Names()
    parts = _CODE.split(text)
    for index in range(0, len(parts), 2):  # the odd parts are code
        parts[index] = _plain_prose(parts[index], names)
    return "".join(parts)


def _plain_prose(text: str, names: Names) -> str:
    text = _ESCAPED.sub(lambda m: chr(_PRIVATE_BASE + ord(m.group(1))), text)

    def mention(match: re.Match[str]) -> str:
        kind, ident = match.group(1), int(match.group(2))
        if kind == "#":
            return "#" + names.channels.get(ident, "unknown-channel")
        if kind == "@&":
            return "@" + names.roles.get(ident, "unknown-role")
        return "@" + names.users.get(ident, "unknown-user")

    def timestamp(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC)
        return moment.strftime("%d %B %Y %H:%M UTC")

    text = _MENTION.sub(mention, text)
    text = _TIMESTAMP.sub(timestamp, text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _MASKED_LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2)
                            else f"{m.group(1)} ({m.group(2)})", text)
    text = _ANGLE_LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _HEADING.sub("", text)
    return "".join(chr(ord(c) - _PRIVATE_BASE) if ord(c) >= _PRIVATE_BASE
                   and ord(c) - _PRIVATE_BASE < 0x80 else c for c in text)


def render(message: Message, channel_name: str | None = None, names: Names | None = None) -> str:
    """A message as a person would read it, with buttons numbered for `press`."""
    names = names or Names()
    lines: list[str] = []
    if message.ephemeral:
        lines.append("(only you can see this)")
    elif channel_name:
        lines.append(f"(posted in #{channel_name}, everyone can see this)")
    if message.content:
        lines.append(plain(message.content, names))
    for embed in message.embeds:
        if embed.get("author", {}).get("name"):
            lines.append(plain(embed["author"]["name"], names))
        if embed.get("title"):
            lines.append(f"== {plain(embed['title'], names)} ==")
        if embed.get("description"):
            lines.append(plain(embed["description"], names))
        for fld in embed.get("fields", []):
            lines.append(f"-- {plain(fld.get('name', ''), names)}")
            lines.append(plain(fld.get("value", ""), names))
        if embed.get("footer", {}).get("text"):
            lines.append(f"({plain(embed['footer']['text'], names)})")
    for attachment in message.attachments:
        size = attachment.get("size", 0)
        lines.append(f"[file] {attachment.get('filename')} ({size} bytes)")
    buttons = []
    for number, button in enumerate(message.buttons(), start=1):
        label = button.get("label") or button.get("emoji", {}).get("name", "?")
        if button.get("url"):
            buttons.append(f"[link] {label}: {button['url']}")
        elif button.get("disabled"):
            buttons.append(f"[{number}] {label} (disabled)")
        else:
            buttons.append(f"[{number}] {label}")
    if buttons:
        pressable = [b for b in buttons if not b.startswith("[link]")]
        if pressable:
            lines.append("  ".join(pressable))
        lines.extend(b for b in buttons if b.startswith("[link]"))
    for menu in message.selects():
        options = ", ".join(f"{o['label']} ({o['value']})" for o in menu.get("options", []))
        lines.append(f"[menu] {menu.get('placeholder', 'choose')}: {options}")
        lines.append("       choose with: select VALUE")
    return "\n".join(lines)


def render_choices(choices: list[dict]) -> str:
    if not choices:
        return "(no suggestions)"
    return "\n".join(f"  {c['name']}  ->  {c['value']}" for c in choices)


# ------------------------------------------------------------------ session
class Console:
    def __init__(self, state: ConsoleState, out: TextIO) -> None:
        self.state = state
        self.out = out
        self.failures = 0  # lines that could not be run (the bot's own refusals are answers)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def fail(self, text: str) -> None:
        self.failures += 1
        self.say(f"! {text}")

    @property
    def definitions(self) -> list[dict]:
        emu, guild = self.state.emulator, self.state.guild
        return emu.commands_for(guild) + emu.commands_for(None)

    async def handle(self, line: str) -> bool:
        """Run one line; False when the user asked to leave."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        words = line.split()
        head = words[0].lower()
        try:
            if head in ("quit", "exit"):
                return False
            if head == "help":
                self.say(INTRO)
            elif head == "commands":
                self.say("\n".join(command_names(self.definitions)))
            elif head == "as" and len(words) == 2 and words[1] in ("admin", "member"):
                self.state.admin = words[1] == "admin"
                role = "an admin (Manage Server)" if self.state.admin else "a member"
                self.say(f"you now act as {role}")
            elif head == "user" and len(words) == 2 and words[1] in self.state.users:
                self.state.user = words[1]
                self.say(f"you are now {words[1]}")
            elif head == "locale" and len(words) == 2:
                self.state.locale = check_locale(words[1])
                self.say(f"your Discord language is now {self.state.locale}")
            elif line.startswith("/"):
                await self.slash(line)
            elif head == "press" and len(words) >= 2:
                await self.press(line.split(None, 1)[1])
            elif head.isdigit():
                await self.press(head)
            elif head == "select" and len(words) >= 2:
                await self.select(words[1:])
            else:
                self.fail("I did not understand that. Type 'help' for what you can do.")
        except (ValueError, EmulatorError) as exc:
            self.fail(str(exc))
        except TimeoutError:
            self.fail("the bot did not answer in time")
        return True

    def _user(self) -> User:
        return self.state.users[self.state.user]

    async def slash(self, line: str) -> None:
        path, values, focused = parse_command(line, self.definitions)
        emu, state = self.state.emulator, self.state
        for name, value in list(values.items()):
            if name != focused and _option(path, name, self.definitions)["type"] == CHANNEL:
                values[name] = await self.channel(value)
        if focused is not None:
            text = values.pop(focused)
            option = _option(path, focused, self.definitions)
            if not option.get("autocomplete"):
                self.say(self.local_choices(option, text))
                return
            ix = await emu.autocomplete(path, focused, text, user=self._user(), guild=state.guild,
                                        options=values, permissions=state.permissions,
                                        locale=state.locale)
            self.say(render_choices(await ix.autocomplete(REPLY_TIMEOUT)))
            return
        ix = await emu.slash(path, user=self._user(), guild=state.guild, options=values,
                             permissions=state.permissions, locale=state.locale)
        await self.show(ix)

    def local_choices(self, option: dict, text: str) -> str:
        """What Discord itself offers for an option the bot gives no suggestions
        for: its fixed choices, true/false, or the server's channels."""
        if option.get("choices"):
            choices = [{"name": c["name"], "value": c["value"]} for c in option["choices"]]
        elif option["type"] == BOOLEAN:
            choices = [{"name": "True", "value": "true"}, {"name": "False", "value": "false"}]
        elif option["type"] == CHANNEL:
            choices = [{"name": f"#{c.name}", "value": f"#{c.name}"}
                       for c in self.state.guild.channels]
        else:
            choices = []
        typed = text.strip().lstrip("#").casefold()
        shown = [c for c in choices
                 if typed in c["name"].casefold() or typed in str(c["value"]).casefold()]
        return render_choices(shown)

    async def channel(self, name: str) -> Channel:
        """A channel of the console community by name (with or without #) or id.
        A new, valid name creates the channel, as an admin would in Discord."""
        guild = self.state.guild
        wanted = str(name).strip()
        for channel in guild.channels:
            if wanted.casefold() == channel.name.casefold() or wanted == str(channel.id):
                return channel
        lowered = wanted.lower()
        if wanted.isdigit() or not CHANNEL_NAME.fullmatch(lowered):
            existing = ", ".join(f"#{c.name}" for c in guild.channels)
            raise ValueError(f"no channel {wanted!r} here; the channels are: {existing}")
        channel = await self.state.emulator.add_channel(guild, lowered, channel_id(lowered))
        self.say(f"(there was no #{lowered} in this local community, so the console created it)")
        return channel

    def _last(self) -> Message:
        if self.state.last is None:
            raise ValueError("there is no message with buttons yet")
        return self.state.last

    async def press(self, which: str) -> None:
        message = self._last()
        all_buttons = message.buttons()
        if which.isdigit():
            index = int(which) - 1
            if not 0 <= index < len(all_buttons) or all_buttons[index].get("url"):
                raise ValueError(f"no button {which} on the last message")
            button = all_buttons[index]
        else:
            match = [b for b in all_buttons if not b.get("url")
                     and which.casefold() in b.get("label", "").casefold()]
            if not match:
                labels = ", ".join(b.get("label", "?") for b in all_buttons if not b.get("url"))
                raise ValueError(f"no button labelled {which!r} on the last message "
                                 f"(its buttons: {labels or 'none'})")
            button = match[0]
        if button.get("disabled"):
            raise ValueError(f"the button {button.get('label', which)!r} is disabled")
        ix = await self.state.emulator.press(
            message, user=self._user(), custom_id=button["custom_id"],
            permissions=self.state.permissions, locale=self.state.locale,
        )
        await self.show(ix)

    async def select(self, values: list[str]) -> None:
        message = self._last()
        if not message.selects():
            raise ValueError("the last message has no menu")
        ix = await self.state.emulator.select(
            message, values, user=self._user(), permissions=self.state.permissions,
            locale=self.state.locale,
        )
        await self.show(ix)

    async def show(self, ix: Interaction) -> None:
        emu = self.state.emulator
        before = set(emu.messages)
        message = await ix.reply(REPLY_TIMEOUT)
        await asyncio.sleep(SETTLE)  # follow-ups and channel posts that come with it
        shown = [message] + [m for m in ix.messages if m is not message]
        posted = [m for mid, m in emu.messages.items()
                  if mid not in before and m.interaction_token is None and not m.deleted]
        names = self.names()
        for item in shown + posted:
            if item.deleted:
                continue
            channel = self._channel_name(item)
            self.say(render(item, channel, names))
            self.say("")
            if item.buttons() or item.selects():
                self.state.last = item

    def names(self) -> Names:
        emu, guild = self.state.emulator, self.state.guild
        users = {user.id: user.username for user in emu.users.values()}
        users[emu.bot_user.id] = emu.bot_user.username
        return Names(channels={c.id: c.name for c in guild.channels}, users=users,
                     roles={guild.id: "everyone"})

    def _channel_name(self, message: Message) -> str | None:
        for channel in self.state.guild.channels:
            if channel.id == message.channel_id:
                return channel.name
        return None


def check_locale(locale: str) -> str:
    for known in LOCALES:
        if locale.casefold() == known.casefold():
            return known
    raise ValueError(f"Discord has no language {locale!r}; it has: {', '.join(LOCALES)}")


def completer(names: Callable[[], Iterable[str]]) -> Callable[[str, int], str | None]:
    words = ("help", "commands", "press ", "select ", "as admin", "as member", "user friend",
             "user you", "locale ", "quit")

    def complete(text: str, index: int) -> str | None:
        import readline

        line = readline.get_line_buffer()
        pool = list(names()) if line.startswith("/") else list(words)
        matches = [n for n in pool if n.startswith(line)]
        # readline completes the current word; offer the rest of the matched name.
        start = len(line) - len(text)
        options = [m[start:] for m in matches]
        return options[index] if index < len(options) else None

    return complete


# ------------------------------------------------------------- the program
T = TypeVar("T")


class LoopThread:
    """An event loop in a daemon thread; `call` runs a coroutine there and waits.
    Ctrl+C while waiting cancels the coroutine and raises KeyboardInterrupt here."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="console-loop", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
            self.loop.close()

    def start(self) -> None:
        self.thread.start()

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except BaseException:
            future.cancel()
            raise

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(SHUTDOWN_TIMEOUT)


@dataclass
class Session:
    emulator: DiscordEmulator
    guild: Guild
    users: dict[str, User]
    folder: tempfile.TemporaryDirectory[str] | None = None
    local: LocalBot | None = None

    async def close(self) -> None:
        try:
            if self.local is not None:
                await self.local.stop()
        finally:
            await self.emulator.stop()
            if self.folder is not None:
                self.folder.cleanup()


async def open_session(session_box: list[Session], database: Path | DatabaseUrl | None) -> None:
    """Start the emulator and the bot. The session is put in `session_box` as soon
    as it exists, so that an interrupted start is still shut down."""
    folder = None
    if database is None:
        folder = tempfile.TemporaryDirectory(prefix="metoo-console-")
        database = Path(folder.name) / "console.sqlite3"
    emulator = DiscordEmulator()
    guild = emulator.add_guild("Console community", guild_id=CONSOLE_GUILD_ID)
    guild.channels = [Channel(channel_id(name), guild.id, name) for name in FIRST_CHANNELS]
    users = {name: emulator.add_user(name, user_id) for name, user_id in USER_IDS.items()}
    session = Session(emulator, guild, users, folder)
    session_box.append(session)
    await emulator.start()
    session.local = await start_local_bot(emulator, database)


def read_script(name: str) -> list[str]:
    """The lines of a script file, or of standard input for '-'."""
    try:
        if name == "-":
            return sys.stdin.read().splitlines()
        return Path(name).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConsoleError(f"--script: {name} does not exist") from None
    except IsADirectoryError:
        raise ConsoleError(f"--script: {name} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise ConsoleError(f"--script: {name} is not UTF-8 text") from None
    except OSError as exc:
        raise ConsoleError(f"--script: cannot read {name} ({exc.strerror})") from None


def check_database(name: str) -> Path | DatabaseUrl:
    """--database: an SQLite file, or a postgresql:// URL (whose message, if it
    is wrong, never repeats it: it may hold a password)."""
    if name.startswith("postgresql://"):
        try:
            url = DatabaseUrl.postgresql(name)
            describe_database(url)
        except ValueError as exc:
            raise ConsoleError(f"--database: {exc}") from None
        except StorageError as exc:
            raise ConsoleError(f"--database: {exc}") from None
        return url
    path = Path(name)
    try:
        describe_database(DatabaseUrl.sqlite(path))
    except StorageError as exc:
        raise ConsoleError(f"--database: {exc}") from None
    except OSError as exc:
        raise ConsoleError(f"--database: cannot use {name} ({exc.strerror})") from None
    return path


def run_script(loop: LoopThread, console: Console, lines: list[str]) -> int:
    failed: list[int] = []
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            console.say(f"> {line.rstrip()}")
        before = console.failures
        keep = loop.call(console.handle(line))
        if console.failures > before:
            failed.append(number)
        if not keep:
            break
    if failed:
        where = ", ".join(map(str, failed))
        print(f"metoo-bot console: {len(failed)} line(s) of the script could not be run "
              f"(line {where})", file=sys.stderr)
        return 1
    return 0


def interactive(loop: LoopThread, console: Console) -> int:
    try:
        import readline

        readline.set_completer(completer(lambda: command_names(console.definitions)))
        readline.set_completer_delims("")
        readline.parse_and_bind("tab: complete")
    except ImportError:  # no readline on this platform: typing still works
        pass
    while True:
        try:
            line = input("> ")
        except EOFError:  # Ctrl+D
            console.say("")
            return 0
        if not loop.call(console.handle(line)):
            return 0


def main(args: Any, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    def fail(message: str, code: int) -> int:
        print(f"metoo-bot console: {message}", file=sys.stderr)
        return code

    try:
        locale = check_locale(args.locale)
        script = read_script(args.script) if args.script else None
        database = check_database(args.database) if args.database else None
    except (ConsoleError, ValueError) as exc:
        return fail(str(exc), 2)
    except KeyboardInterrupt:
        return 130
    configure_logging("WARNING")
    loop = LoopThread()
    loop.start()
    box: list[Session] = []
    code = 0
    try:
        loop.call(open_session(box, database))
        session = box[0]
        state = ConsoleState(session.emulator, session.guild, session.users,
                             admin=args.role == "admin", locale=locale)
        console = Console(state, out)
        if script is not None:
            code = run_script(loop, console, script)
        else:
            console.say(INTRO)
            console.say(f"You are 'you' in '{session.guild.name}', acting as "
                        f"{'an admin' if state.admin else 'a member'}; your language is "
                        f"{locale}.")
            code = interactive(loop, console)
    except KeyboardInterrupt:  # Ctrl+C: leave as cleanly as Ctrl+D
        print("", file=out, flush=True)
        code = 130 if script is not None else 0
    except StorageError as exc:
        code = fail(f"--database: {exc}", 2)
    except TimeoutError:
        code = fail("the local bot did not start in time", 1)
    except ExtensionError as exc:
        from bot.__main__ import extension_failure

        code = fail(extension_failure(exc), 1)
    finally:
        # A second Ctrl+C must not cut the shutdown short (the database is closing).
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            if box:
                with contextlib.suppress(Exception, concurrent.futures.TimeoutError):
                    loop.call(box[0].close(), timeout=SHUTDOWN_TIMEOUT)
            loop.stop()
        finally:
            signal.signal(signal.SIGINT, previous)
        stuck = [t for t in threading.enumerate()
                 if t.is_alive() and t is not threading.main_thread()
                 and (t is loop.thread or not t.daemon)]
        if stuck:
            # Shutting down did not finish in time (a task that would not stop, or a
            # database thread still open): the console must never hang, so leave
            # now. Nothing committed is lost (every commit is durable).
            out.flush()
            sys.stderr.flush()
            if box and box[0].folder is not None:
                box[0].folder.cleanup()
            os._exit(code)
    return code
