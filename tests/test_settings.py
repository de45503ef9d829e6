"""Settings: every operator setting read and validated in one place."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import LOCAL_ACK_SECRET, Secret, SettingsError, load_settings

TOKEN = "MTIz.fake.token-for-tests"
# Random, made once for these tests (a repeated pattern would be refused as weak).
HEX_SECRET = "0919c58743d014b9231e02af02751b47b2888d3290aec49999bc0de4032fa928"


def load(**env: str):
    return load_settings(environ={"DISCORD_TOKEN": TOKEN, **env}, env_file=None)


def test_defaults() -> None:
    s = load()
    assert s.database.sqlite_path == Path("data/metoo.sqlite3")
    assert s.api_base_url == "https://discord.com/api/v10"
    assert s.gateway_url is None
    assert s.ack_secret is None and not s.acknowledgements_available
    assert s.ack_retention_days == 365
    assert s.log_level == "INFO" and s.translations == "checked"
    assert s.default_country is None and s.dev_guild_id is None and s.operator_contact is None


def test_every_variable_is_read() -> None:
    s = load(
        ACK_SECRET=HEX_SECRET,
        DATABASE_URL="sqlite:////var/lib/metoo/db.sqlite3",
        DEFAULT_COUNTRY="gb",
        DEV_GUILD_ID="123456789012345678",
        DISCORD_API_BASE_URL="http://127.0.0.1:9999/api/v10/",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9999/gateway",
        ACK_RETENTION_DAYS="30",
        OPERATOR_CONTACT="privacy@example.org",
        LOG_LEVEL="warning",
        TRANSLATIONS="Reviewed",
    )
    assert s.translations == "reviewed"
    assert s.ack_secret == Secret(bytes.fromhex(HEX_SECRET))
    assert s.database.sqlite_path == Path("/var/lib/metoo/db.sqlite3")
    assert s.default_country == "GB"
    assert s.dev_guild_id == 123456789012345678
    assert s.api_base_url == "http://127.0.0.1:9999/api/v10"
    assert s.gateway_url == "ws://127.0.0.1:9999/gateway"
    assert s.ack_retention_days == 30
    assert s.operator_contact == "privacy@example.org"
    assert s.log_level == "WARNING"


def test_dotenv_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nDEFAULT_COUNTRY=DE\nLOG_LEVEL=ERROR\n")
    s = load_settings(environ={"LOG_LEVEL": "DEBUG"}, env_file=env_file)
    assert s.default_country == "DE"
    assert s.log_level == "DEBUG"


def test_settings_are_frozen() -> None:
    s = load()
    with pytest.raises(AttributeError):
        s.log_level = "DEBUG"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DISCORD_TOKEN": ""}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "has a space"}, "DISCORD_TOKEN"),
        ({"ACK_SECRET": "ab" * 31}, "ACK_SECRET"),
        ({"ACK_SECRET": "not a secret!"}, "ACK_SECRET"),
        ({"ACK_SECRET": base64.b64encode(b"x" * 16).decode()}, "ACK_SECRET"),
        ({"DATABASE_URL": "postgres://db/metoo"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///data/"}, "DATABASE_URL"),
        ({"DEFAULT_COUNTRY": "XX"}, "DEFAULT_COUNTRY"),
        ({"DEFAULT_COUNTRY": "England"}, "DEFAULT_COUNTRY"),
        ({"DEV_GUILD_ID": "abc"}, "DEV_GUILD_ID"),
        ({"DEV_GUILD_ID": "-5"}, "DEV_GUILD_ID"),
        ({"DISCORD_API_BASE_URL": "discord.com/api"}, "DISCORD_API_BASE_URL"),
        ({"DISCORD_GATEWAY_URL": "https://gateway.discord.gg"}, "DISCORD_GATEWAY_URL"),
        ({"ACK_RETENTION_DAYS": "0"}, "ACK_RETENTION_DAYS"),
        ({"ACK_RETENTION_DAYS": "a year"}, "ACK_RETENTION_DAYS"),
        ({"OPERATOR_CONTACT": "x" * 201}, "OPERATOR_CONTACT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TRANSLATIONS": "all"}, "TRANSLATIONS"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load(**env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")
    assert "\n" not in str(caught.value)


def test_missing_token_is_allowed_only_when_not_required() -> None:
    with pytest.raises(SettingsError, match="DISCORD_TOKEN"):
        load_settings(environ={}, env_file=None)
    assert load_settings(environ={}, env_file=None, require_token=False).token is None


def test_base64_secrets_are_accepted() -> None:
    raw = bytes.fromhex("4bb23fd4a6e25d4daff3a45970e17767c5ac2571f743346b036f0add2f3d5d9f"
                        "71a5fa474210860b")
    for encoded in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        assert load(ACK_SECRET=encoded).ack_secret == Secret(raw)


def test_secrets_never_appear_in_repr_or_str() -> None:
    s = load(ACK_SECRET=HEX_SECRET)
    for shown in (repr(s), str(s), repr(s.token), str(s.ack_secret)):
        assert TOKEN not in shown
        assert HEX_SECRET not in shown
        assert bytes.fromhex(HEX_SECRET).decode("latin-1") not in shown


@given(st.text(min_size=1, max_size=120))
def test_a_bad_secret_is_refused_without_quoting_it(value: str) -> None:
    value = value.strip()
    try:
        s = load(ACK_SECRET=value)
    except SettingsError as exc:
        assert exc.variable == "ACK_SECRET"
        if len(value) > 3:
            assert value not in str(exc)
    else:
        assert s.ack_secret is None or len(s.ack_secret.reveal()) >= 32


# ------------------------------------------------------- weak secrets (issue 11, 7)
@pytest.mark.parametrize("value", [
    "ab" * 32,                                     # one repeated byte
    "00" * 31 + "01",                              # a few bytes, repeated
    "deadbeefcafebabe" * 4,                        # a short pattern
    bytes(range(32)).hex(),                        # a counting sequence
    LOCAL_ACK_SECRET,                              # the console's public secret
    "1234567890" * 6 + "1357",                     # only digits
    b"my-very-own-password-for-the-metoo-bot!".hex(),         # text, as hex
    base64.b64encode(b"my very long password that nobody could guess!").decode(),
    "thisisnotarandomsecretbutitlookslikebase64ok",  # text that only looks like base64
    "THIS_IS_NOT_RANDOM_BUT_IT_LOOKS_LIKE_BASE64_TEXT",
    "ThisIsMyVerySecretKeyForTheMetooBotPleaseKeepIt",
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh",
])
def test_weak_secrets_are_refused_in_one_line(value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load(ACK_SECRET=value)
    message = str(caught.value)
    assert caught.value.variable == "ACK_SECRET" and "\n" not in message
    assert value not in message and "random" in message


def test_random_secrets_are_accepted() -> None:
    """The rules refuse a random secret with a chance below one in a million each;
    20,000 random secrets in every form `init`, openssl or Python make pass."""
    rng = random.Random(20261130)
    for i in range(20_000):
        raw = rng.randbytes(32 + i % 33)
        value = (raw.hex(), base64.b64encode(raw).decode(),
                 base64.urlsafe_b64encode(raw).decode().rstrip("="))[i % 3]
        assert load(ACK_SECRET=value).ack_secret == Secret(raw), value


@given(st.binary(min_size=1, max_size=16), st.integers(min_value=32, max_value=80))
def test_any_short_pattern_repeated_is_refused(pattern: bytes, length: int) -> None:
    secret = (pattern * length)[:length]
    for value in (secret.hex(), base64.b64encode(secret).decode()):
        with pytest.raises(SettingsError, match="ACK_SECRET"):
            load(ACK_SECRET=value)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=43, max_size=90))
def test_text_in_one_case_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="ACK_SECRET"):
        load(ACK_SECRET=value)


def test_only_local_runs_may_use_the_public_local_secret() -> None:
    """The console and the tests talk to the local emulator with a fixed, public
    secret; the real program (run, check, sync, rotate-secret) refuses it."""
    assert load_settings(environ={"DISCORD_TOKEN": TOKEN, "ACK_SECRET": LOCAL_ACK_SECRET},
                         env_file=None, local=True).ack_secret == Secret(
                             bytes.fromhex(LOCAL_ACK_SECRET))
    with pytest.raises(SettingsError, match="public"):
        load(ACK_SECRET=LOCAL_ACK_SECRET)
    with pytest.raises(SettingsError, match="pattern"):  # no other exemption, even locally
        load_settings(environ={"DISCORD_TOKEN": TOKEN, "ACK_SECRET": "ab" * 32},
                      env_file=None, local=True)


# ------------------------------------------------------------ shards
def test_shards_default_to_discords_recommendation_in_one_process() -> None:
    s = load()
    assert s.shard_count is None and s.shard_ids is None
    assert load(SHARD_COUNT="auto").shard_count is None
    assert load(SHARD_COUNT="AUTO").shard_count is None


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("4", "0-3", (0, 1, 2, 3)),
        ("6", "4,5", (4, 5)),
        ("8", "0-1, 6", (0, 1, 6)),
        ("8", "3,3,1-2", (1, 2, 3)),
        ("1", "0", (0,)),
    ],
)
def test_shard_ids_are_numbers_and_ranges_within_the_count(
    count: str, ids: str, expected: tuple[int, ...]
) -> None:
    s = load(SHARD_COUNT=count, SHARD_IDS=ids)
    assert s.shard_count == int(count)
    assert s.shard_ids == expected


@pytest.mark.parametrize(
    ("env", "variable", "says"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT", "whole number"),
        ({"SHARD_COUNT": "-2"}, "SHARD_COUNT", "whole number"),
        ({"SHARD_COUNT": "four"}, "SHARD_COUNT", "auto"),
        ({"SHARD_COUNT": "1000001"}, "SHARD_COUNT", "whole number"),
        ({"SHARD_IDS": "0-1"}, "SHARD_IDS", "SHARD_COUNT"),
        ({"SHARD_COUNT": "auto", "SHARD_IDS": "0"}, "SHARD_IDS", "not auto"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "4"}, "SHARD_IDS", "numbered 0 to 3"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "2-5"}, "SHARD_IDS", "shard 5"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "SHARD_IDS", "backwards"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0;1"}, "SHARD_IDS", "like 0-3 or 4,5"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0,,1"}, "SHARD_IDS", "like 0-3 or 4,5"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "-1"}, "SHARD_IDS", "like 0-3 or 4,5"),
    ],
)
def test_bad_shard_settings_name_the_variable(
    env: dict[str, str], variable: str, says: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load(**env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ") and says in str(caught.value)
    assert "\n" not in str(caught.value)


def as_ranges(ids: list[int]) -> str:
    """Sorted shard ids written as SHARD_IDS: runs as ranges, the rest as numbers."""
    runs: list[list[int]] = []
    for shard in ids:
        if runs and shard == runs[-1][-1] + 1:
            runs[-1].append(shard)
        else:
            runs.append([shard])
    return ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


@given(count=st.integers(1, 64), data=st.data())
def test_any_set_of_shards_written_as_ranges_reads_back(count: int, data: st.DataObject) -> None:
    ids = sorted(data.draw(st.sets(st.integers(0, count - 1), min_size=1)))
    assert load(SHARD_COUNT=str(count), SHARD_IDS=as_ranges(ids)).shard_ids == tuple(ids)


@given(st.text(max_size=20))
def test_any_shard_ids_text_is_read_or_refused_in_one_line(raw: str) -> None:
    try:
        s = load(SHARD_COUNT="16", SHARD_IDS=raw)
    except SettingsError as exc:
        assert exc.variable == "SHARD_IDS" and "\n" not in str(exc)
    else:
        assert s.shard_ids is None or all(0 <= i < 16 for i in s.shard_ids)


def test_health_and_log_format_settings() -> None:
    s = load()
    assert s.health_port is None and s.health_host == "127.0.0.1" and s.log_format == "text"
    s = load(HEALTH_PORT="9464", HEALTH_HOST="0.0.0.0", LOG_FORMAT="JSON")
    assert (s.health_port, s.health_host, s.log_format) == (9464, "0.0.0.0", "json")
    assert load(HEALTH_HOST="localhost").health_host == "127.0.0.1"
    assert load(HEALTH_HOST="::1").health_host == "::1"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"HEALTH_PORT": "0"}, "HEALTH_PORT"),
        ({"HEALTH_PORT": "65536"}, "HEALTH_PORT"),
        ({"HEALTH_PORT": "http"}, "HEALTH_PORT"),
        ({"HEALTH_HOST": "metrics.example.org"}, "HEALTH_HOST"),
        ({"HEALTH_HOST": "127.0.0.1:9464"}, "HEALTH_HOST"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_health_and_log_settings_name_the_variable(env: dict[str, str],
                                                       variable: str) -> None:
    test_bad_values_name_the_variable(env, variable)
