"""`python -m bot console`: try every command without Discord.

Starts the local Discord emulator and the real bot (same code path as
production, embedded SQLite), then reads slash commands as typed in Discord
and prints the bot's answers as text. Buttons are pressed by number or label.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.emulator.model import ADMIN_PERMISSIONS, MEMBER_PERMISSIONS, Guild, Message, User
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

INTRO = """\
metoo-bot console: a local Discord with the real bot. Nothing leaves this machine.
Type a slash command as in Discord, e.g.  /hotline country:GB topic:crisis
  option values with spaces:      /config resource-add name:"Campus help" description:"..."
  suggestions for an option:      /hotline country:germ?
  press a button:                 press 1   (or its number alone, or: press Next)
  choose in a menu:               select GB
  who you are:                    as admin | as member | user friend | user you | locale de
  'commands' lists the commands, 'help' shows this, 'quit' leaves."""

REPLY_TIMEOUT = 15.0
SETTLE = 0.3  # seconds to wait for follow-ups and channel posts after an answer


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
    An option ending in '?' asks for autocomplete: the third item names it."""
    tokens = shlex.split(line.strip().lstrip("/"))
    if not tokens:
        raise ValueError("type a command after the slash")
    path = []
    rest = tokens
    while rest and ":" not in rest[0]:
        path.append(rest[0])
        rest = rest[1:]
    definition = _definition(path, definitions)
    by_name = {o["name"]: o for o in definition.get("options", [])}
    values: dict[str, Any] = {}
    focused = None
    for token in rest:
        name, _, raw = token.partition(":")
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise ValueError(f"/{' '.join(path)} has no option {name!r} (options: {known})")
        if raw.endswith("?"):
            focused = name
            values[name] = raw[:-1]
            continue
        values[name] = _convert(by_name[name], raw)
    return " ".join(path), values, focused


def _definition(path: list[str], definitions: list[dict]) -> dict:
    if not path:
        raise ValueError("type a command name")
    node = next((d for d in definitions if d["name"] == path[0]), None)
    if node is None:
        raise ValueError(f"no command /{path[0]}; type 'commands' to list them")
    for part in path[1:]:
        node = next((o for o in node.get("options", []) if o["name"] == part
                     and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
        if node is None:
            raise ValueError(f"/{' '.join(path)} is not a command; type 'commands'")
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in node.get("options", [])):
        subs = ", ".join(o["name"] for o in node["options"])
        raise ValueError(f"/{' '.join(path)} needs one of: {subs}")
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
        return raw.lstrip("#")
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


# ---------------------------------------------------------------- rendering
def render(message: Message, channel_name: str | None = None) -> str:
    """A message as a person would read it, with buttons numbered for `press`."""
    lines: list[str] = []
    if message.ephemeral:
        lines.append("(only you can see this)")
    elif channel_name:
        lines.append(f"(posted in #{channel_name}, everyone can see this)")
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        if embed.get("author", {}).get("name"):
            lines.append(embed["author"]["name"])
        if embed.get("title"):
            lines.append(f"== {embed['title']} ==")
        if embed.get("description"):
            lines.append(embed["description"])
        for fld in embed.get("fields", []):
            lines.append(f"-- {fld.get('name', '')}")
            lines.append(fld.get("value", ""))
        if embed.get("footer", {}).get("text"):
            lines.append(f"({embed['footer']['text']})")
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
        lines.append("  ".join(b for b in buttons if not b.startswith("[link]")))
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

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

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
                self.state.locale = words[1]
                self.say(f"your Discord language is now {words[1]}")
            elif line.startswith("/"):
                await self.slash(line)
            elif head == "press" and len(words) >= 2:
                await self.press(line.split(None, 1)[1])
            elif head.isdigit():
                await self.press(head)
            elif head == "select" and len(words) >= 2:
                await self.select(words[1:])
            else:
                self.say("I did not understand that. Type 'help' for what you can do.")
        except (ValueError, EmulatorError) as exc:
            self.say(f"! {exc}")
        except TimeoutError:
            self.say("! the bot did not answer in time")
        return True

    def _user(self) -> User:
        return self.state.users[self.state.user]

    async def slash(self, line: str) -> None:
        path, values, focused = parse_command(line, self.definitions)
        emu, state = self.state.emulator, self.state
        if focused is not None:
            text = values.pop(focused)
            ix = await emu.autocomplete(path, focused, text, user=self._user(), guild=state.guild,
                                        options=values, permissions=state.permissions,
                                        locale=state.locale)
            self.say(render_choices(await ix.autocomplete(REPLY_TIMEOUT)))
            return
        ix = await emu.slash(path, user=self._user(), guild=state.guild, options=values,
                             permissions=state.permissions, locale=state.locale)
        await self.show(ix)

    def _last(self) -> Message:
        if self.state.last is None:
            raise ValueError("there is no message with buttons yet")
        return self.state.last

    async def press(self, which: str) -> None:
        message = self._last()
        buttons = [b for b in message.buttons() if not b.get("url")]
        if which.isdigit():
            all_buttons = message.buttons()
            index = int(which) - 1
            if not 0 <= index < len(all_buttons) or all_buttons[index].get("url"):
                raise ValueError(f"no button {which} on the last message")
            custom_id = all_buttons[index]["custom_id"]
        else:
            match = [b for b in buttons if which.casefold() in b.get("label", "").casefold()]
            if not match:
                raise ValueError(f"no button labelled {which!r} on the last message")
            custom_id = match[0]["custom_id"]
        ix = await self.state.emulator.press(
            message, user=self._user(), custom_id=custom_id,
            permissions=self.state.permissions, locale=self.state.locale,
        )
        await self.show(ix)

    async def select(self, values: list[str]) -> None:
        ix = await self.state.emulator.select(
            self._last(), values, user=self._user(), permissions=self.state.permissions,
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
        for item in shown + posted:
            if item.deleted:
                continue
            channel = self._channel_name(item)
            self.say(render(item, channel))
            self.say("")
            if item.buttons() or item.selects():
                self.state.last = item

    def _channel_name(self, message: Message) -> str | None:
        for channel in self.state.guild.channels:
            if channel.id == message.channel_id:
                return channel.name
        return None


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


async def run_console(
    script: TextIO | None, database: Path | None, admin: bool, locale: str, out: TextIO,
) -> int:
    configure_logging("WARNING")
    with contextlib.ExitStack() as stack:
        if database is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="metoo-console-"))
            database = Path(folder) / "console.sqlite3"
        emulator = DiscordEmulator()
        await emulator.start()
        guild = emulator.add_guild("Console community", channels=("general", "announcements"))
        users = {"you": emulator.add_user("you"), "friend": emulator.add_user("friend")}
        local: LocalBot | None = None
        try:
            local = await start_local_bot(emulator, database)
            state = ConsoleState(emulator, guild, users, admin=admin, locale=locale)
            console = Console(state, out)
            if script is not None:
                for line in script:
                    if line.strip() and not line.lstrip().startswith("#"):
                        console.say(f"> {line.rstrip()}")
                    if not await console.handle(line):
                        break
                return 0
            console.say(INTRO)
            console.say(f"You are 'you' in '{guild.name}', acting as "
                        f"{'an admin' if admin else 'a member'}; your language is {locale}.")
            await interactive(console)
            return 0
        finally:
            if local is not None:
                await local.stop()
            await emulator.stop()


async def interactive(console: Console) -> None:
    try:
        import readline

        readline.set_completer(completer(lambda: command_names(console.definitions)))
        readline.set_completer_delims("")
        readline.parse_and_bind("tab: complete")
    except ImportError:  # no readline on this platform: typing still works
        pass
    loop = asyncio.get_running_loop()
    while True:
        try:
            line = await loop.run_in_executor(None, input, "> ")
        except (EOFError, KeyboardInterrupt):
            console.say("")
            return
        if not await console.handle(line):
            return


def main(args: Any) -> int:
    script = open(args.script, encoding="utf-8") if args.script else None  # noqa: SIM115
    try:
        return asyncio.run(run_console(
            script, Path(args.database) if args.database else None,
            admin=args.role == "admin", locale=args.locale, out=sys.stdout,
        ))
    finally:
        if script is not None:
            script.close()
