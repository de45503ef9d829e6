"""The health server (HEALTH_PORT): /healthz, /readyz and /metrics of the real bot
against the emulator. Readiness follows the gateway and the database; the metrics
parse as Prometheus text and say nothing about anyone, nor whether anyone used
/metoo or /privacy."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text as metoo_text
from bot.storage.sqlite import backend as database
from tests.conftest import StartBot
from tests.support.acks import enable
from tests.support.files import MakeReadOnly
from tests.support.program import free_port, program_env
from tests.support.secrets import PROGRAM_SECRET
from tests.support.storage import sqlite_stores

# A snowflake (a user, community, channel or interaction id) is 17 to 20 digits. A
# run of digits after a decimal point is a float's fraction (a latency sum), not one.
SNOWFLAKE = re.compile(r"(?<![\d.])\d{17,20}(?!\d)")


async def get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, \
            http.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, await response.text()


async def eventually(port: int, path: str, accept: Callable[[int, str], bool],
                     timeout: float = 30.0) -> tuple[int, str]:
    """Ask `path` until `accept` likes the answer (the server may not listen yet)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: tuple[int, str] | None = None
    while loop.time() < deadline:
        try:
            last = await get(port, path)
        except aiohttp.ClientConnectionError:
            last = None
        if last is not None and accept(*last):
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} never answered as expected; last: {last}")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page, parsed by prometheus_client's own parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(parsed: dict, name: str, **labels: str) -> float:
    return parsed.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_the_real_program_serves_health_readiness_and_content_free_metrics(
    emulator: DiscordEmulator, guild: Guild, member: User, tmp_path: Path
) -> None:
    db_path = tmp_path / "db.sqlite3"
    storage = sqlite_stores(db_path)  # an admin turned counting on earlier
    await storage.open()
    await storage.communities.update(guild.id, acknowledgements_enabled=True)
    await storage.close()
    port = free_port()
    emulator.refuse_gateway = True  # logged in, but not connected to the gateway yet
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path,
        env=program_env(
            DISCORD_TOKEN=emulator.token, ACK_SECRET=PROGRAM_SECRET,
            DATABASE_URL=f"sqlite:///{db_path}", DISCORD_API_BASE_URL=emulator.api_base,
            DISCORD_GATEWAY_URL=emulator.gateway_url, HEALTH_PORT=str(port)),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        assert await eventually(port, "/healthz", lambda s, _: s == 200) == (200, "ok\n")
        status, reason = await get(port, "/readyz")
        assert (status, reason) == (503, "not ready: shard 0 not ready\n")

        emulator.refuse_gateway = False
        await emulator.wait_connected(timeout=60)
        assert await eventually(port, "/readyz", lambda s, _: s == 200) == (200, "ready\n")

        # Interactions the metrics count ...
        await (await emulator.slash("help", user=member, guild=guild)).reply(30)
        await (await emulator.slash("config show", user=member, guild=guild)).reply(30)
        choices = await emulator.autocomplete("hotline", "country", "germ", user=member,
                                              guild=guild)
        await choices.autocomplete(30)
        # ... and those they never count: /metoo and /privacy, their buttons, the
        # panel's "Me too".
        consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply(30)
        thanks = await (await emulator.press(consent, "me too", user=member)).reply(30)
        assert thanks.content == metoo_text.THANKS
        for command in ("metoo count", "privacy info", "metoo remove"):
            await (await emulator.slash(command, user=member, guild=guild)).reply(30)

        status, page = await eventually(
            port, "/metrics", lambda _, text: "metoo_interactions_total{" in text
            and 'kind="autocomplete"' in text)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()

    assert status == 200
    parsed = samples(page)
    counted = {labels: n for (name, labels), n in parsed.items()
               if name == "metoo_interactions_total"}
    assert counted == {
        (("command", "help"), ("kind", "command"), ("outcome", "ok")): 1.0,
        (("command", "config show"), ("kind", "command"), ("outcome", "refused")): 1.0,
        (("command", "hotline"), ("kind", "autocomplete"), ("outcome", "ok")): 1.0,
    }
    # The answer times of exactly those three: nothing of /metoo or /privacy.
    assert value(parsed, "metoo_answer_seconds_count") == 3
    assert value(parsed, "metoo_guilds") == 1
    assert value(parsed, "metoo_shards") == value(parsed, "metoo_shards_ready") == 1
    assert ("metoo_gateway_latency_seconds", (("shard", "0"),)) in parsed
    assert value(parsed, "metoo_database_commit_seconds_count") >= 1
    series = "\n".join(line for line in page.splitlines() if not line.startswith("#"))
    for private in ("metoo:", "privacy", "consent", 'command="metoo'):
        assert private not in series
    assert "_created" not in page  # no series says when something first happened
    # Content-free: no id anywhere, as a label or as a value.
    assert SNOWFLAKE.findall(page) == []
    assert all(abs(v) < 1e15 for v in parsed.values())
    for ident in (guild.id, member.id, *(ix.id for ix in emulator.interactions.values())):
        assert str(ident) not in page


async def test_readyz_says_503_while_the_database_is_read_only_and_200_once_writable(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, db_path: Path,
    read_only: MakeReadOnly, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "WRITABLE_RETRY_SECONDS", 0.2)
    earlier = sqlite_stores(db_path)
    await earlier.open()
    await earlier.close()
    writable_again = read_only(db_path)
    port = free_port()
    local = await start_bot(env={"HEALTH_PORT": str(port)})
    status, reason = await eventually(port, "/readyz", lambda s, _: True)
    assert status == 503
    assert reason.startswith("not ready: database not writable: the database is read-only")
    assert reason.count("\n") == 1 and not SNOWFLAKE.search(reason)
    assert await get(port, "/healthz") == (200, "ok\n")  # up, all the same

    writable_again()
    assert await eventually(port, "/readyz", lambda s, _: s == 200) == (200, "ready\n")
    await local.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(port, "/healthz")  # the server went with the bot


async def test_health_server_is_off_by_default_and_a_taken_port_is_one_line(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, tmp_path: Path
) -> None:
    local = await start_bot()
    assert local.bot.metrics is None and local.bot.health is None
    port = free_port()
    with socket_listening(port):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path,
            env=program_env(
                DISCORD_TOKEN=emulator.token, DATABASE_URL=f"sqlite:///{tmp_path / 'db'}",
                DISCORD_API_BASE_URL=emulator.api_base,
                DISCORD_GATEWAY_URL=emulator.gateway_url, HEALTH_PORT=str(port)),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert lines[-1] == (f"metoo-bot: HEALTH_PORT: cannot listen on 127.0.0.1 port {port} "
                         "(address already in use)"), stderr.decode()
    assert "Traceback" not in stderr.decode()


class socket_listening:
    """Something else listening on `port` for the time of a `with`."""

    def __init__(self, port: int) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", port))

    def __enter__(self) -> None:
        self.socket.listen()

    def __exit__(self, *exc: object) -> None:
        self.socket.close()


async def test_acknowledgements_leave_no_trace_in_the_metrics(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    """A "me too" changes no series at all: the page before and after is the same
    but for the figures that move on their own (process, gateway, probe)."""
    port = free_port()
    local = await start_bot(env={"HEALTH_PORT": str(port)})
    await enable(local, guild)
    moving = ("process_", "metoo_gateway_latency", "metoo_database_commit")

    async def steady() -> list[str]:
        _, page = await get(port, "/metrics")
        return [line for line in page.splitlines() if not line.startswith(moving)]

    before = await steady()
    consent = await (await emulator.slash("metoo add", user=member, guild=guild)).reply()
    await (await emulator.press(consent, "me too", user=member)).reply()
    prompt = await (await emulator.slash("privacy delete", user=member, guild=guild)).reply()
    await (await emulator.press(prompt, "Delete", user=member)).reply()
    assert await steady() == before


async def test_readyz_follows_the_gateway(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    port = free_port()
    await start_bot(env={"HEALTH_PORT": str(port)})
    assert await get(port, "/readyz") == (200, "ready\n")
    await emulator.drop_gateway(refuse=True)
    assert await eventually(port, "/readyz", lambda s, _: s == 503) == \
        (503, "not ready: shard 0 not ready\n")
    emulator.refuse_gateway = False
    await emulator.wait_connected(timeout=60)
    assert await eventually(port, "/readyz", lambda s, _: s == 200) == (200, "ready\n")
    assert (await (await emulator.slash("help", user=member, guild=guild)).reply()).ephemeral


async def health_command(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """`python -m bot health ARGS` as a container's health check runs it (without
    blocking the loop the bot under test runs on)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "health", *args, cwd=tmp_path, env=program_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_the_health_command_asks_the_running_bot(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, tmp_path: Path
) -> None:
    port = free_port()
    local = await start_bot(env={"HEALTH_PORT": str(port)})
    assert await health_command(tmp_path, HEALTH_PORT=str(port)) == (0, "ok\n", "")
    assert await health_command(tmp_path, "--ready", HEALTH_PORT=str(port)) == \
        (0, "ready\n", "")

    await emulator.drop_gateway(refuse=True)
    await eventually(port, "/readyz", lambda s, _: s == 503)
    assert await health_command(tmp_path, "--ready", HEALTH_PORT=str(port)) == \
        (1, "not ready: shard 0 not ready\n", "")
    assert (await health_command(tmp_path, HEALTH_PORT=str(port)))[0] == 0  # still up

    await local.stop()
    code, out, err = await health_command(tmp_path, HEALTH_PORT=str(port))
    assert (code, out) == (1, "")
    assert err.startswith(f"metoo-bot: no answer from http://127.0.0.1:{port}/healthz")
    assert err.count("\n") == 1 and "Traceback" not in err
    # Without HEALTH_PORT there is nothing to ask: a setting is missing (exit 2).
    code, out, err = await health_command(tmp_path)
    assert (code, out) == (2, "")
    assert err == "metoo-bot: HEALTH_PORT: not set, so the bot serves no health answers\n"
