"""The log redaction (bot/logs.py): every id and token form goes, ordinary log
lines stay as they were (issue 11, point 13). Property tests with hypothesis."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import re
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.logs import RedactingFilter, log_handler, redact
from tests.support.program import program_env
from tests.support.secrets import PROGRAM_SECRET

SNOWFLAKES = st.integers(min_value=10**16, max_value=2**64 - 1)  # 17 to 20 digits
ANY_TEXT = st.text(max_size=40)
URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
DIGIT_RUN = re.compile(r"\d{17,}")

# Where an id appears in real log lines and library messages.
ID_FORMS = [
    "{}", "<@{}>", "<@!{}>", "<@&{}>", "<#{}>", "</help:{}>", "id={}", "guild_id: {}",
    "user{}", "{}th", "x{}y", "({})", "[{}]", "'{}'", '"{}"', "{}.", "{},", "{}:", "{};",
    "/{}/", "hist:t:{}:_:_:1:n:abcdef", "config:reset:delete:{}:1796038916:AbCdEfGhIjK",
    "channels/{}/messages", "{}{}",
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@st.composite
def bot_tokens(draw: st.DrawFn) -> str:
    """Discord's bot token shape: base64 of the user id, a timestamp, an HMAC."""
    user_id = draw(SNOWFLAKES)
    timestamp = draw(st.text(alphabet=URLSAFE, min_size=6, max_size=7))
    mac = draw(st.text(alphabet=URLSAFE, min_size=27, max_size=38))
    return f"{_b64(str(user_id).encode())}.{timestamp}.{mac}"


@st.composite
def interaction_tokens(draw: st.DrawFn) -> str:
    """Interaction tokens: base64url of "interaction:<id>:<random>", long."""
    user_id = draw(SNOWFLAKES)
    tail = draw(st.binary(min_size=32, max_size=96))
    return _b64(b"interaction:" + str(user_id).encode() + b":" + tail)


@st.composite
def secrets(draw: st.DrawFn) -> str:
    """ACK_SECRET and member keys as they could be written: hex, base64, base64url."""
    raw = draw(st.binary(min_size=24, max_size=64))
    form = draw(st.sampled_from(["hex", "HEX", "b64", "b64url"]))
    if form == "hex":
        return raw.hex()
    if form == "HEX":
        return raw.hex().upper()
    if form == "b64":
        return base64.b64encode(raw).decode()
    return _b64(raw)


SEPARATORS = st.sampled_from([" ", "\n", "'", '"', "=", ": ", "Bot ", "token=", "/", "(", "<"])


# ---------------------------------------------------------------- ids
@settings(max_examples=500)
@given(ANY_TEXT, st.sampled_from(ID_FORMS), SNOWFLAKES, ANY_TEXT)
@example("", "user{}", 123456789012345678, ".")
@example("seen ", "{}.", 12345678901234567, "")
def test_no_id_survives_in_any_form(before: str, form: str, snowflake: int, after: str) -> None:
    line = before + form.format(snowflake, snowflake) + after
    shown = redact(line)
    assert str(snowflake) not in shown
    assert not DIGIT_RUN.search(shown)


@pytest.mark.parametrize("line, shown", [
    ("user 123456789012345678.", "user <id>."),
    ("<@123456789012345678> and <@!123456789012345678>", "<@<id>> and <@!<id>>"),
    ("<#12345678901234567>, <@&12345678901234567890>", "<#<id>>, <@&<id>>"),
    ("id=123456789012345678;", "id=<id>;"),
    ("user123456789012345678 left", "user<id> left"),
    ("guild 123456789012345678's panel", "guild <id>'s panel"),
])
def test_ids_in_their_usual_places(line: str, shown: str) -> None:
    assert redact(line) == shown


# ---------------------------------------------------------------- tokens and secrets
@settings(max_examples=300)
@given(ANY_TEXT, SEPARATORS, bot_tokens(), SEPARATORS, ANY_TEXT)
def test_no_bot_token_survives(before: str, left: str, token: str, right: str, after: str) -> None:
    around = before + after
    shown = redact(before + left + token + right + after)
    for part in (token, *token.split(".")[::2]):  # the whole, the id part, the HMAC
        assert shown.count(part) <= around.count(part)


@settings(max_examples=300)
@given(ANY_TEXT, SEPARATORS, interaction_tokens(), SEPARATORS, ANY_TEXT)
def test_no_interaction_token_survives(
    before: str, left: str, token: str, right: str, after: str
) -> None:
    around = before + after
    shown = redact(before + left + token + right + after)
    for part in (token, token[:24], token[-24:]):
        assert shown.count(part) <= around.count(part)


@settings(max_examples=300)
@given(SNOWFLAKES, interaction_tokens())
def test_an_interaction_url_keeps_neither_id_nor_token(snowflake: int, token: str) -> None:
    line = (f"POST https://discord.com/api/v10/interactions/{snowflake}/{token}/callback "
            "has returned 404")
    shown = redact(line)
    assert str(snowflake) not in shown and token[:24] not in shown and token[-24:] not in shown
    assert shown.startswith("POST https://discord.") and shown.endswith("has returned 404")


@settings(max_examples=500)
@given(ANY_TEXT, SEPARATORS, secrets(), SEPARATORS, ANY_TEXT)
@example("", "=", bytes(32).hex(), " ", "")
@example("", "=", base64.b64encode(bytes(32)).decode(), " ", "")
@example("", "=", base64.b64encode(b"\xff" * 32).decode(), " ", "")
@example("", "=", _b64(b"\xff" * 32), " ", "")
def test_no_secret_survives(before: str, left: str, secret: str, right: str, after: str) -> None:
    around = before + after
    shown = redact(before + left + secret + right + after)
    # Neither the secret nor a large piece of it (16 characters in a row).
    for part in (secret, *(secret[i:i + 16] for i in range(0, len(secret) - 15, 8))):
        assert shown.count(part) <= around.count(part)


# ---------------------------------------------------------------- ordinary lines stay
WORDS = st.from_regex(r"[A-Za-z][a-z]{0,11}", fullmatch=True)
SHORT_NUMBERS = st.integers(min_value=0, max_value=10**16 - 1).map(str)  # up to 16 digits
VERSIONS = st.lists(st.integers(0, 999).map(str), min_size=2, max_size=4).map(".".join)
PIECES = st.one_of(WORDS, SHORT_NUMBERS, VERSIONS, st.sampled_from([
    "site-packages", "__init__", "python3.11", "app_commands", "discord", "metoo-bot",
    "2026-11-30", "14:37:02", "/config", "127.0.0.1:8080", "3s", "HTTP", "WAL",
]))
ORDINARY_SEPARATORS = st.sampled_from([" ", ", ", ": ", " (", ") ", "/", "-", "_", ".", " = "])


@settings(max_examples=500)
@given(st.lists(st.tuples(PIECES, ORDINARY_SEPARATORS), max_size=20))
@example([("10000", "/"), ("__init__", "/"), ("__init__", "/"), ("__init__", " ")])
def test_ordinary_log_lines_are_left_alone(parts: list[tuple[str, str]]) -> None:
    line = "".join(piece + separator for piece, separator in parts)
    assert redact(line) == line


@pytest.mark.parametrize("line", [
    "3 rows, version 2.7.1",
    "ready in 1000 communities",
    "synced 12 commands globally",
    "could not post to a configuration log: HTTP 403",
    "/hotline failed: CommandInvokeError",
    "retention folded 1234567890123456 rows",  # 16 digits: not an id
    'File "/usr/lib/python3.11/site-packages/discord/app_commands/tree.py", line 1310, in _call',
    'File "/home/ann/metoo-bot/bot/features/admin.py", line 87, in change_setting',
    "    await self.storage.communities.update(interaction.guild_id, **{column: new})",
    "test_confirm_after_counting_was_turned_off_stores_nothing",
    "bot.features.acknowledgements_support.something_longer_than_twenty",
])
def test_known_ordinary_lines_are_left_alone(line: str) -> None:
    assert redact(line) == line


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


# ---------------------------------------------------------------- the filter itself
def test_the_filter_redacts_arguments_and_drops_exception_messages() -> None:
    snowflake, token = 123456789012345678, _b64(bytes(range(48)))
    typed = f"what someone typed, with {token}"
    try:
        raise ValueError(typed)
    except ValueError as error:
        record = logging.LogRecord("bot.test", logging.ERROR, __file__, 1,
                                   "user %s pressed %s", (snowflake, token), (
                                       type(error), error, error.__traceback__))
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert message.startswith("user <id> pressed <redacted> [ValueError]")
    assert "test_logs.py" in message  # where it failed stays readable
    assert str(snowflake) not in message and token not in message
    assert "what someone typed" not in message and record.exc_info is None


# ------------------------------------------------------------ LOG_FORMAT text and json
CANARY_ID = 1_234_567_890_123_456_789
CANARY_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GcAnAr.y-canary-token-q7Zx-0123456789abcdefghij"
CANARY_TYPED = "canary option text Zq9w"


def log_through(form: str) -> str:
    """One line with an id and a token, and a failure quoting typed text, written
    by the program's own handler for `form`."""
    stream = io.StringIO()
    handler = log_handler(form)
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logger = logging.getLogger(f"bot.test-format-{form}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("user %s sent %s", CANARY_ID, CANARY_TOKEN)
        try:
            raise ValueError(CANARY_TYPED)
        except ValueError:
            logger.exception("/hotline failed")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize("form", ["text", "json"])
def test_both_log_formats_redact_ids_tokens_and_typed_text(form: str) -> None:
    written = log_through(form)
    for canary in (str(CANARY_ID), CANARY_TOKEN, "GcAnAr", CANARY_TYPED):
        assert canary not in written
    assert "user <id> sent <redacted>" in written and "[ValueError]" in written
    if form == "json":
        lines = written.splitlines()
        assert len(lines) == 2  # one object a line, the traceback inside its message
        records = [json.loads(line) for line in lines]
        assert [r["level"] for r in records] == ["WARNING", "ERROR"]
        assert records[0]["message"] == "user <id> sent <redacted>"
        assert records[1]["message"].startswith("/hotline failed [ValueError]\n")
        assert all(set(r) == {"time", "level", "logger", "message"} for r in records)
        assert records[0]["time"].endswith("+00:00")


@pytest.mark.parametrize("form", ["text", "json"])
async def test_the_real_programs_log_names_nobody_in_either_format(
    form: str, emulator: DiscordEmulator, guild: Guild, member: User, tmp_path: Path
) -> None:
    """`python -m bot` at LOG_LEVEL=DEBUG: canary option text typed into commands
    and autocomplete, then the whole log is searched for it, the user's id and
    every token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path,
        env=program_env(
            DISCORD_TOKEN=emulator.token, ACK_SECRET=PROGRAM_SECRET,
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            DISCORD_API_BASE_URL=emulator.api_base, DISCORD_GATEWAY_URL=emulator.gateway_url,
            LOG_LEVEL="DEBUG", LOG_FORMAT=form),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        await emulator.wait_connected(timeout=60)
        for command, option in (("hotline", "country"), ("history topic", "name")):
            choices = await emulator.autocomplete(command, option, CANARY_TYPED, user=member,
                                                  guild=guild)
            await choices.autocomplete(30)
            reply = await (await emulator.slash(command, user=member, guild=guild,
                                                options={option: CANARY_TYPED})).reply(30)
            assert reply.ephemeral
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "database closed" in log  # the log was captured
    forbidden = [CANARY_TYPED, str(member.id), str(guild.id), emulator.token, PROGRAM_SECRET]
    for ix in emulator.interactions.values():
        forbidden += [ix.token, str(ix.id)]
    assert [f for f in forbidden if f in log] == []
    if form == "json":
        records = [json.loads(line) for line in log.splitlines()]
        assert all(isinstance(r, dict) and r["message"] for r in records)
        assert any(r["logger"] == "discord.client" for r in records)
    else:
        assert log.splitlines()[0][:4].isdigit()  # "2026-11-30 14:31:48,507 INFO ..."
