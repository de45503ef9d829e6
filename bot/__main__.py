"""Program commands: run (default), init, check, sync, console, rotate-secret,
reconcile, health, backup, restore. `python -m bot --help`."""

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

# Content modules whose check(today) validates a data file: it raises on invalid
# data and returns notes for content maintainers; recheck(today) returns what the
# operator should have re-checked (entries whose checked date is too old); links()
# lists the pages `check --online` fetches.
DATA_CHECKS: tuple[str, ...] = ("bot.features.history.loader", "bot.features.hotlines.loader")


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
    from discord.ext import commands

    from bot.app import SecretChanged, run
    from bot.health import HealthServerError
    from bot.logs import configure_logging
    from bot.sharding import StartRefused
    from bot.storage import StorageError

    settings = settings_or_exit()
    configure_logging(settings.log_level, settings.log_format)
    try:
        asyncio.run(run(settings))
    except discord.LoginFailure:
        return fail("DISCORD_TOKEN: Discord refused this token; copy it again from the "
                    "developer portal", 1)
    except discord.PrivilegedIntentsRequired:
        return fail("Discord says this application may not use the intents it asked for", 1)
    except HealthServerError as exc:
        return fail(str(exc), 1)
    except (aiohttp.ClientError, OSError) as exc:
        return fail(f"cannot reach Discord at {settings.api_base_url} ({type(exc).__name__})", 1)
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    except SecretChanged as exc:
        return fail(str(exc), 2)
    except StartRefused as exc:
        return fail(str(exc), 1)
    except commands.ExtensionError as exc:
        return fail(extension_failure(exc), 1)
    except KeyboardInterrupt:
        pass
    return 0


def extension_failure(exc: BaseException) -> str:
    """A feature that could not load (usually a data file that is not valid), in one line."""
    original = getattr(exc, "original", None) or exc
    first = (str(original).strip().splitlines() or [type(original).__name__])[0]
    # The feature's package, not its cog module: "bot.features.hotlines could not start".
    name = str(getattr(exc, "name", "a feature")).removesuffix(".cog")
    return f"{name} could not start: {first}; `python -m bot check` lists what is wrong"


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.exists() or target.is_symlink():
        return fail(f"{target} already exists; not overwriting it", 1)
    try:
        example = EXAMPLE_ENV.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {EXAMPLE_ENV} ({reason(exc)}); reinstall metoo-bot", 1)
    lines = []
    for line in example.splitlines():
        if line.startswith("ACK_SECRET="):
            line = f"ACK_SECRET={secrets.token_hex(32)}"
        lines.append(line)
    try:
        # Created owner-only: it holds the bot token and the acknowledgement secret.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    except OSError as exc:
        return fail(f"cannot write {target} ({reason(exc)})", 1)
    print(f"wrote {target} with a fresh ACK_SECRET; add your DISCORD_TOKEN to it")
    return 0


def reason(exc: BaseException) -> str:
    """An OS error in a few words, without a traceback."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


def cmd_check(args: argparse.Namespace) -> int:
    from bot.storage import StorageError, describe_database

    settings = settings_or_exit()
    print("settings: ok" + ("" if settings.ack_secret else
                            " (ACK_SECRET not set: /metoo stays unavailable)"))
    problems = 0
    today = date.today()
    for name in DATA_CHECKS:
        module = importlib.import_module(name)
        try:
            notes = module.check(today=today)
            due = module.recheck(today=today)
        except Exception as exc:  # each data module raises its own DataError
            print(f"error: {name}: {exc}", file=sys.stderr)
            problems += 1
            continue
        # The data modules' notes are editorial (a source to re-check, a conflict
        # between sources): for whoever maintains the content, not the operator,
        # who can do nothing about them. --content shows them.
        if args.content:
            for note in notes:
                print(f"content: {note}")
        # named by its feature: bot.features.history.loader -> history
        feature = name.removeprefix("bot.features.").removeprefix("bot.core.").split(".")[0]
        print(f"data {feature}: ok")
        # Facts that may have changed since they were checked: the operator ships
        # them to people, so the operator is told, without --content.
        for line in due:
            print(f"warning: {line}")
        # How much of the data each language has (the data's own translations).
        if (summary := getattr(module, "translation_summary", None)) is not None:
            print(f"data {feature} translations: {summary()}")
    problems += check_languages(settings)
    try:
        print(describe_database(settings.database))
        problem = secret_problem(settings)
    except StorageError as exc:
        print(f"error: DATABASE_URL: {exc}", file=sys.stderr)
        problems += 1
    else:
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            problems += 1
    if args.online:
        try:
            problems += check_online(args.test_links_base)
        except ValueError as exc:  # a --test-links-base that is not on this machine
            return fail(str(exc), 2)
    return 1 if problems else 0


def check_online(test_base: str | None) -> bool:
    """`check --online`: fetch every linked page and print what is wrong; True
    when a page shown beside a support line is dead."""
    from bot.linkcheck import BaseOverride, check_links

    override = None if test_base is None else BaseOverride(test_base)
    links = [link for name in DATA_CHECKS
             for link in getattr(importlib.import_module(name), "links", list)()]
    report, failed = asyncio.run(check_links(links, override))
    print(report)
    if failed:
        print("error: a page shown beside a support line is dead (marked \"(shown)\" "
              "above): check the entry and correct the data", file=sys.stderr)
    return failed


def check_languages(settings: Settings) -> int:
    """Print each shipped language's coverage (strings shown translated, sensitive
    texts checked, reviewed and shown under TRANSLATIONS); 1 when a catalog or
    the review manifest cannot be read, else 0."""
    from bot.i18n.catalogs import CatalogError, coverage
    from bot.i18n.reviews import ManifestError

    try:
        found = coverage(settings.translations)
    except (CatalogError, ManifestError) as exc:
        print(f"error: translations: {exc}", file=sys.stderr)
        return 1
    print(f"languages: English and {len(found)} more (TRANSLATIONS={settings.translations})")
    for language in found:
        print(f"language {language.line()}")
    return 0


def secret_problem(settings: Settings) -> str | None:
    """Whether ACK_SECRET would orphan stored acknowledgements (read-only)."""
    from bot.features import metoo
    from bot.storage import read_secret_state

    stored, has_rows = read_secret_state(settings.database)
    secret = settings.ack_secret
    current = None if secret is None else metoo.secret_fingerprint(secret.reveal())
    return metoo.secret_problem(metoo.secret_verdict(stored, current, has_rows))


def cmd_rotate_secret(args: argparse.Namespace) -> int:
    from bot.features import metoo
    from bot.storage import StorageError, open_storage

    settings = settings_or_exit(require_token=False)
    secret = settings.ack_secret
    current = None if secret is None else metoo.secret_fingerprint(secret.reveal())

    async def rotate() -> str:
        storage = await open_storage(settings.database)
        try:
            stored, has_rows = await storage.acks.secret_state()
            verdict = metoo.secret_verdict(stored, current, has_rows)
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


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.features.privacy import BACKUP_DAYS
    from bot.storage import StorageError, backup_database

    settings = settings_or_exit(require_token=False)
    try:
        print(backup_database(settings.database, Path(args.path)))
    except StorageError as exc:
        return fail(f"backup: {exc}", 1)
    print(f"Records deleted from now on stay in this copy: keep it encrypted and delete it "
          f"after at most {BACKUP_DAYS} days (/privacy info tells people so). ACK_SECRET is "
          "not in it; keep the secret apart from it.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.storage import StorageError, restore_database

    settings = settings_or_exit(require_token=False)
    try:
        print(restore_database(settings.database, Path(args.path)))
    except StorageError as exc:
        return fail(f"restore: {exc}", 1)
    print("Acknowledgements withdrawn or deleted after this backup was made are back, and "
          "nothing records whose they were: say so to your communities (`/privacy mydata` "
          "shows each person what is held). The bot needs the ACK_SECRET the backup was made "
          "with.")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    import urllib.error
    import urllib.request

    settings = settings_or_exit(require_token=False)
    if settings.health_port is None:
        return fail("HEALTH_PORT: not set, so the bot serves no health answers", 2)
    host = settings.health_host
    if host in ("0.0.0.0", "::"):  # listening everywhere: ask on this machine
        host = "127.0.0.1" if host == "0.0.0.0" else "::1"
    address = f"[{host}]" if ":" in host else host
    path = "/readyz" if args.ready else "/healthz"
    url = f"http://{address}:{settings.health_port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            print(response.read().decode(errors="replace").strip())
            return 0
    except urllib.error.HTTPError as exc:  # /readyz: 503 with its one-line reason
        print(exc.read().decode(errors="replace").strip())
        return 1
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return fail(f"no answer from {url} ({getattr(reason, 'strerror', None) or reason})", 1)


def cmd_sync(args: argparse.Namespace) -> int:
    import aiohttp
    import discord
    from discord.ext import commands

    from bot.app import MetooBot, configure_endpoints
    from bot.logs import configure_logging
    from bot.storage import StorageError, open_storage

    settings = settings_or_exit()
    if args.guild is not None:
        settings = dataclasses.replace(settings, dev_guild_id=args.guild)
    # One line of result: the start-up messages of a running bot are noise here.
    configure_logging("WARNING" if settings.log_level in ("DEBUG", "INFO") else settings.log_level,
                      settings.log_format)
    configure_endpoints(settings)
    assert settings.token is not None
    token = settings.token.reveal().decode()

    async def sync() -> int:
        storage = await open_storage(settings.database)
        try:
            bot = MetooBot(settings, storage, force_sync=True, connects=False)
            async with bot:
                await bot.login(token)  # setup_hook syncs
                return len(bot.tree.get_commands())
        finally:
            await storage.close()

    guild = settings.dev_guild_id
    try:
        count = asyncio.run(sync())
    except discord.LoginFailure:
        return fail("DISCORD_TOKEN: Discord refused this token", 1)
    except discord.Forbidden as exc:
        if guild is None:
            return fail(f"Discord refused the sync (HTTP 403, code {exc.code})", 1)
        return fail(f"Discord refused to register the commands in guild {guild} (HTTP 403): "
                    "the bot is not in that server, or was invited without the "
                    "applications.commands scope; invite it with the bot and "
                    "applications.commands scopes, or check the server id", 1)
    except discord.HTTPException as exc:
        return fail(f"Discord refused the sync (HTTP {exc.status})", 1)
    except (aiohttp.ClientError, OSError) as exc:
        return fail(f"cannot reach Discord at {settings.api_base_url} ({type(exc).__name__})", 1)
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    except commands.ExtensionError as exc:
        return fail(extension_failure(exc), 1)
    print(f"{count} commands synced " + (f"to guild {guild}" if guild else "globally"))
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    import aiohttp
    import discord

    from bot.app import configure_endpoints
    from bot.features import lifecycle
    from bot.logs import configure_logging
    from bot.storage import StorageError, open_storage

    settings = settings_or_exit()
    configure_logging("WARNING" if settings.log_level in ("DEBUG", "INFO") else settings.log_level)
    configure_endpoints(settings)
    assert settings.token is not None
    token = settings.token.reveal().decode()

    async def reconcile() -> lifecycle.Reconciliation:
        storage = await open_storage(settings.database)
        try:
            # Every community the bot is in, over REST (all shards, and one in an
            # outage too), listed just before deciding. REST only (no gateway); the
            # guilds intent keeps discord.py from warning that its cache lacks them.
            client = discord.Client(intents=discord.Intents(guilds=True))
            async with client:
                await client.login(token)
                present = {guild.id async for guild in client.fetch_guilds(limit=None)}
            return await lifecycle.reconcile_communities(
                storage.communities, present.__contains__, force=args.force)
        finally:
            await storage.close()

    try:
        result = asyncio.run(reconcile())
    except discord.LoginFailure:
        return fail("DISCORD_TOKEN: Discord refused this token", 1)
    except discord.HTTPException as exc:
        return fail(f"Discord refused to list the bot's communities (HTTP {exc.status})", 1)
    except (aiohttp.ClientError, OSError) as exc:
        return fail(f"cannot reach Discord at {settings.api_base_url} ({type(exc).__name__})", 1)
    except StorageError as exc:
        return fail(f"DATABASE_URL: {exc}", 1)
    share = round(lifecycle.PURGE_VALVE_SHARE * 100)
    if result.refused:
        return fail(f"the bot is no longer in {result.absent} of the {result.known} communities "
                    f"the database holds data of: more than {share}% at once, so nothing was "
                    "deleted; if the bot really left them, run `python -m bot reconcile "
                    "--force`", 1)
    if result.deleted:
        print(f"deleted the data of {result.deleted} of the {result.known} communities the "
              "database held data of: the bot is no longer in them")
    else:
        print(f"the bot is in every community the database holds data of ({result.known}); "
              "nothing deleted")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    try:
        from bot.console import main as console_main
    except KeyboardInterrupt:  # Ctrl+C while loading: leave as Ctrl+D would
        return 130 if args.script else 0

    return console_main(args)


def parser() -> argparse.ArgumentParser:
    from bot.features.lifecycle import PURGE_VALVE_SHARE  # light: no discord import

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
    check = sub.add_parser(
        "check", help="validate settings, data files and the database",
        description="Validate the settings, the data files and the database schema; "
                    "exit non-zero with a readable reason if something is wrong.")
    check.add_argument("--content", action="store_true",
                       help="also list notes for content maintainers (sources to re-check, "
                            "conflicts between sources)")
    check.add_argument("--online", action="store_true",
                       help="also fetch every website and source of the hotline and history "
                            "data: report dead pages, moves to another site and pages that no "
                            "longer mention their number (fails when a page shown beside a "
                            "support line is dead)")
    # Tests only: fetch every link from a local server (an http:// URL on this machine).
    check.add_argument("--test-links-base", metavar="URL", help=argparse.SUPPRESS)
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
    reconcile = sub.add_parser(
        "reconcile", help="delete the data of communities the bot is no longer in",
        description="Ask Discord which communities the bot is in (every shard), and delete "
                    "the data of the communities the database holds that it is no longer "
                    "in. Like the bot at start-up, it deletes at most "
                    f"{round(PURGE_VALVE_SHARE * 100)}% of them at once (or one); --force "
                    "deletes them all, for when the bot really left that many (its log says "
                    "when it held back). PostgreSQL: while the bot runs. SQLite: with the "
                    "bot stopped.")
    reconcile.add_argument("--force", action="store_true",
                           help="delete every community the bot is no longer in, however "
                                "many")
    health = sub.add_parser(
        "health", help="ask the running bot whether it is up (or ready)",
        description="Ask the health server of the bot running here (HEALTH_PORT) whether it "
                    "is up (/healthz) or, with --ready, ready (/readyz: every shard READY and "
                    "the database writable); exit 0 if so, else 1 with the reason. For "
                    "container health checks and scripts.")
    health.add_argument("--ready", action="store_true", help="ask /readyz instead of /healthz")
    health.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="how long to wait for the answer (default: 5)")
    backup = sub.add_parser(
        "backup", help="copy the SQLite database to a new file, while the bot runs",
        description="Copy the database (DATABASE_URL, SQLite) to PATH with SQLite's online "
                    "backup: consistent while the bot runs, created with mode 600, never over "
                    "an existing file. On PostgreSQL use pg_dump (this command says how).")
    backup.add_argument("path", metavar="PATH", help="the new backup file")
    restore = sub.add_parser(
        "restore", help="replace the SQLite database with a backup (bot stopped)",
        description="Replace the database (DATABASE_URL, SQLite) with the backup at PATH. "
                    "Refused while the bot, or anything else, has the database open, and for "
                    "a file that is not a metoo-bot database at a schema this version knows.")
    restore.add_argument("path", metavar="PATH", help="the backup made by `backup`")
    console = sub.add_parser(
        "console", help="try every command locally, without Discord or a token",
        description="Start a local Discord emulator and the real bot, then type slash "
                    "commands as in Discord and read the answers as text.")
    console.add_argument("--script", metavar="FILE",
                         help="run the commands in FILE (one a line) and print the transcript")
    console.add_argument("--database", metavar="PATH_OR_URL",
                         help="SQLite file, or postgresql://user:password@host:5432/name, to "
                              "use (default: a temporary SQLite file, deleted at exit)")
    console.add_argument("--as", dest="role", choices=("admin", "member"), default="admin",
                         help="act as a server admin (default) or a plain member")
    console.add_argument("--locale", default="en-US",
                         help="your Discord language, e.g. en-GB, de (default: en-US)")
    return top


COMMANDS = {
    "run": cmd_run, "init": cmd_init, "check": cmd_check, "sync": cmd_sync,
    "console": cmd_console, "rotate-secret": cmd_rotate_secret, "reconcile": cmd_reconcile,
    "backup": cmd_backup, "restore": cmd_restore, "health": cmd_health,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command or "run"](args)
    except KeyboardInterrupt:  # Ctrl+C while starting (importing): no traceback
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
