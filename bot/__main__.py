"""Program commands: run (default), init, check, sync, console, rotate-secret.
`python -m bot --help`."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import os
import secrets
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings

EXAMPLE_ENV = Path(__file__).resolve().parent.parent / "config.example.env"

# Content modules whose check() validates a data file; each returns warning lines
# and raises on invalid data.
DATA_CHECKS: tuple[str, ...] = ("bot.core.history", "bot.core.hotlines")


def fail(message: str, code: int) -> int:
    print(f"metoo-bot: {message}", file=sys.stderr)
    return code


def settings_or_exit(*, require_token: bool = True) -> Settings:
    try:
        return load_settings(require_token=require_token)
    except SettingsError as exc:
        raise SystemExit(fail(str(exc), 2)) from None


def cmd_run(args: argparse.Namespace) -> int:
    import aiohttp
    import discord

    from bot.app import SecretChanged, run
    from bot.logs import configure_logging
    from bot.storage import StorageError

    settings = settings_or_exit()
    configure_logging(settings.log_level)
    try:
        asyncio.run(run(settings))
    except discord.LoginFailure:
        return fail("DISCORD_TOKEN: Discord refused this token; copy it again from the "
                    "developer portal", 1)
    except discord.PrivilegedIntentsRequired:
        return fail("Discord says this application may not use the intents it asked for", 1)
    except (aiohttp.ClientError, OSError) as exc:
        return fail(f"cannot reach Discord at {settings.api_base_url} ({type(exc).__name__})", 1)
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    except SecretChanged as exc:
        return fail(str(exc), 2)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.exists():
        return fail(f"{target} already exists; not overwriting it", 1)
    lines = []
    for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines():
        if line.startswith("ACK_SECRET="):
            line = f"ACK_SECRET={secrets.token_hex(32)}"
        lines.append(line)
    # Created owner-only: it holds the bot token and the acknowledgement secret.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"wrote {target} with a fresh ACK_SECRET; add your DISCORD_TOKEN to it")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.storage.database import StorageError, inspect_database

    settings = settings_or_exit()
    print("settings: ok" + ("" if settings.ack_secret else
                            " (ACK_SECRET not set: /metoo stays unavailable)"))
    problems = 0
    for name in DATA_CHECKS:
        module = importlib.import_module(name)
        try:
            warnings = module.check(today=date.today())
        except Exception as exc:  # each data module raises its own DataError
            print(f"error: {name}: {exc}", file=sys.stderr)
            problems += 1
            continue
        for warning in warnings:
            print(f"warning: {warning}")
        print(f"data {name.rsplit('.', 1)[-1]}: ok")
    try:
        print(inspect_database(settings.database_path))
        problem = secret_problem(settings)
    except StorageError as exc:
        print(f"error: DATABASE_URL: {exc}", file=sys.stderr)
        problems += 1
    else:
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            problems += 1
    return 1 if problems else 0


def secret_problem(settings: Settings) -> str | None:
    """Whether ACK_SECRET would orphan stored acknowledgements (read-only)."""
    from bot.core import acknowledgements as rules
    from bot.storage.acknowledgements import read_secret_state

    stored, has_rows = read_secret_state(settings.database_path)
    secret = settings.ack_secret
    current = None if secret is None else rules.secret_fingerprint(secret.reveal())
    return rules.secret_problem(rules.secret_verdict(stored, current, has_rows))


def cmd_rotate_secret(args: argparse.Namespace) -> int:
    from bot.core import acknowledgements as rules
    from bot.storage import Storage, StorageError

    settings = settings_or_exit(require_token=False)
    secret = settings.ack_secret
    current = None if secret is None else rules.secret_fingerprint(secret.reveal())

    async def rotate() -> str:
        storage = Storage(settings.database_path)
        await storage.open()
        try:
            stored, has_rows = await storage.acks.secret_state()
            verdict = rules.secret_verdict(stored, current, has_rows)
            if verdict == "ok":
                return ("ACK_SECRET is the one the stored acknowledgements were made with; "
                        "nothing to do")
            if verdict == "record":
                assert current is not None
                await storage.acks.record_secret(current)
                return "no acknowledgement was stored with another secret; ACK_SECRET recorded"
            folded = await storage.acks.rotate_secret(current)
        finally:
            await storage.close()
        return (f"folded {folded} acknowledgement(s) that can no longer be linked to anyone "
                "into the anonymous tallies and deleted them; "
                + ("ACK_SECRET recorded" if current else "ACK_SECRET is not set"))

    try:
        print(asyncio.run(rotate()))
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    import discord

    from bot.app import MetooBot, configure_endpoints
    from bot.logs import configure_logging
    from bot.storage import Storage, StorageError

    settings = settings_or_exit()
    if args.guild is not None:
        settings = dataclasses.replace(settings, dev_guild_id=args.guild)
    configure_logging(settings.log_level)
    configure_endpoints(settings)
    assert settings.token is not None

    async def sync() -> None:
        storage = Storage(settings.database_path)
        await storage.open()
        try:
            bot = MetooBot(settings, storage, force_sync=True)
            async with bot:
                await bot.login(settings.token.reveal().decode())  # setup_hook syncs
        finally:
            await storage.close()

    try:
        asyncio.run(sync())
    except discord.LoginFailure:
        return fail("DISCORD_TOKEN: Discord refused this token", 1)
    except discord.HTTPException as exc:
        return fail(f"Discord refused the sync (HTTP {exc.status})", 1)
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    print("commands " + (f"synced to guild {args.guild}" if args.guild else
                         "synced to the dev guild" if settings.dev_guild_id else "synced globally"))
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console import main as console_main

    return console_main(args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m bot",
        description="metoo-bot: run the Discord bot, or manage its set-up. "
                    "With no command, runs the bot.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the bot (the default)",
                   description="Run the bot until SIGTERM or Ctrl+C. Settings come from "
                               "the environment and .env.")
    init = sub.add_parser("init", help="write a .env with a fresh ACK_SECRET",
                          description="Write a .env from config.example.env with a fresh random "
                                      "ACK_SECRET. Never overwrites an existing file.")
    init.add_argument("--path", default=".env", help="where to write (default: .env)")
    sub.add_parser("check", help="validate settings, data files and the database",
                   description="Validate the settings, the data files and the database schema; "
                               "exit non-zero with a readable reason if something is wrong.")
    sync = sub.add_parser("sync", help="force a command sync",
                          description="Register the commands with Discord now, even if they "
                                      "have not changed.")
    sync.add_argument("--guild", type=int, metavar="ID",
                      help="sync to this guild only (instant), instead of DEV_GUILD_ID or global")
    sub.add_parser(
        "rotate-secret", help="after ACK_SECRET changed: fold the orphaned acknowledgements",
        description="Run this after ACK_SECRET was replaced (for example because it "
                    "leaked), with the bot stopped. Acknowledgements made with the old "
                    "secret can no longer be linked to anyone, so nobody could withdraw or "
                    "export them: they are added to their community's anonymous tally (the "
                    "counts keep their size) and deleted, and the new secret's fingerprint "
                    "is recorded. Does nothing while the secret is unchanged.")
    console = sub.add_parser(
        "console", help="try every command locally, without Discord or a token",
        description="Start a local Discord emulator and the real bot, then type slash "
                    "commands as in Discord and read the answers as text.")
    console.add_argument("--script", metavar="FILE",
                         help="run the commands in FILE (one a line) and print the transcript")
    console.add_argument("--database", metavar="PATH",
                         help="SQLite file to use (default: a temporary one, deleted at exit)")
    console.add_argument("--as", dest="role", choices=("admin", "member"), default="admin",
                         help="act as a server admin (default) or a plain member")
    console.add_argument("--locale", default="en-US",
                         help="your Discord language, e.g. en-GB, de (default: en-US)")
    return top


COMMANDS = {
    "run": cmd_run, "init": cmd_init, "check": cmd_check, "sync": cmd_sync,
    "console": cmd_console, "rotate-secret": cmd_rotate_secret,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return COMMANDS[args.command or "run"](args)


if __name__ == "__main__":
    sys.exit(main())
