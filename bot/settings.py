"""The operator's settings: read once from the environment and `.env`, validated here.

Every operator setting (config.example.env lists them) is read and checked in
this module and nowhere else. A bad value raises SettingsError naming the variable and what
is expected; the program prints that one line and exits 2.
"""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import itertools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.storage.url import DatabaseUrl

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_DATABASE_URL = "sqlite:///data/metoo.sqlite3"
MIN_SECRET_BYTES = 32

# The fixed secret of local runs (the console, the tests): public, in this
# repository, so the real program refuses it. Only load_settings(local=True),
# which bot.local uses for a bot that talks to the local emulator, accepts it.
LOCAL_ACK_SECRET = "6c6f63616c2d6f6e6c792d6e6f742d612d7265616c2d7365637265742d2d2d2d"
MAKE_A_SECRET = "make a random one with `python -m bot init` or `openssl rand -hex 32`"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DEFAULT_HEALTH_HOST = "127.0.0.1"
# TRANSLATIONS: which translations of the sensitive texts (consent, crisis,
# privacy) are shown: those checked by a recorded back-translation, or only
# those a person reviewed (the others are shown in English).
TRANSLATION_MODES = ("checked", "reviewed")


class SettingsError(Exception):
    """A setting is missing or malformed. The message never contains its value."""

    def __init__(self, variable: str, expected: str) -> None:
        super().__init__(f"{variable}: {expected}")
        self.variable = variable


class Secret:
    """A value that must never be printed: repr and str hide it."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    token: Secret | None
    ack_secret: Secret | None
    database: DatabaseUrl
    default_country: str | None
    dev_guild_id: int | None
    api_base_url: str
    gateway_url: str | None
    ack_retention_days: int
    operator_contact: str | None
    log_level: str
    # Sharding: the one global shard count (None: Discord's recommendation,
    # asked at start) and the shards this process runs (None: all of them).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # The health server (/healthz, /readyz, /metrics): off unless HEALTH_PORT is set.
    health_port: int | None = None
    health_host: str = DEFAULT_HEALTH_HOST
    log_format: str = "text"
    translations: str = "checked"

    @property
    def acknowledgements_available(self) -> bool:
        return self.ack_secret is not None


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    require_token: bool = True,
    local: bool = False,
) -> Settings:
    """Read `.env` (if present) under the process environment, then validate.

    Variables already in the environment win over `.env`, as python-dotenv's
    load_dotenv does by default; os.environ itself is left untouched.
    `local` is for a bot run against the local emulator only (bot.local): it
    may use the public LOCAL_ACK_SECRET, which the real program refuses.
    """
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        try:
            read = dotenv_values(env_file)
        except UnicodeDecodeError:
            raise SettingsError(str(env_file), "cannot be read: it is not UTF-8 text") from None
        except OSError as exc:
            reason = (exc.strerror or type(exc).__name__).lower()
            raise SettingsError(str(env_file), f"cannot be read ({reason})") from None
        values.update({k: v for k, v in read.items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        raw = values.get(name)
        if raw is None or raw.strip() == "":
            return None
        return raw.strip()

    shard_count = _shard_count(get("SHARD_COUNT"))
    return Settings(
        token=_token(get("DISCORD_TOKEN"), require_token),
        ack_secret=_ack_secret(get("ACK_SECRET"), local=local),
        database=_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        default_country=_country(get("DEFAULT_COUNTRY")),
        dev_guild_id=_snowflake("DEV_GUILD_ID", get("DEV_GUILD_ID")),
        api_base_url=_http_url(get("DISCORD_API_BASE_URL") or DEFAULT_API_BASE),
        gateway_url=_ws_url(get("DISCORD_GATEWAY_URL")),
        ack_retention_days=_retention(get("ACK_RETENTION_DAYS")),
        operator_contact=_contact(get("OPERATOR_CONTACT")),
        log_level=_log_level(get("LOG_LEVEL")),
        shard_count=shard_count,
        shard_ids=_shard_ids(get("SHARD_IDS"), shard_count),
        health_port=_health_port(get("HEALTH_PORT")),
        health_host=_health_host(get("HEALTH_HOST")),
        log_format=_log_format(get("LOG_FORMAT")),
        translations=_translations(get("TRANSLATIONS")),
    )


def _token(raw: str | None, required: bool) -> Secret | None:
    if raw is None:
        if required:
            raise SettingsError(
                "DISCORD_TOKEN",
                "is required: the bot token from the Discord developer portal "
                "(put it in .env; `python -m bot init` writes one to fill in)",
            )
        return None
    if re.search(r"\s", raw) or not raw.isascii() or not raw.isprintable():
        raise SettingsError("DISCORD_TOKEN", "must be the token as given, without spaces")
    return Secret(raw.encode())


def _ack_secret(raw: str | None, *, local: bool = False) -> Secret | None:
    if raw is None:
        return None
    decoded: bytes | None = None
    hex_form = bool(re.fullmatch(r"[0-9a-fA-F]+", raw)) and len(raw) % 2 == 0
    if hex_form:
        decoded = bytes.fromhex(raw)
    else:
        try:
            decoded = base64.b64decode(
                raw + "=" * (-len(raw) % 4),
                altchars=b"-_" if ("-" in raw or "_" in raw) else None,
                validate=True,
            )
        except (binascii.Error, ValueError):
            decoded = None
    if decoded is None:
        raise SettingsError("ACK_SECRET", "must be hex or base64 (`python -m bot init` makes one)")
    if len(decoded) < MIN_SECRET_BYTES:
        raise SettingsError(
            "ACK_SECRET",
            f"must be at least {MIN_SECRET_BYTES} random bytes "
            f"(64 hex characters); this one is {len(decoded)} bytes",
        )
    if not (local and decoded == bytes.fromhex(LOCAL_ACK_SECRET)):
        weakness = secret_weakness(raw, decoded, hex_form=hex_form)
        if weakness is not None:
            raise SettingsError("ACK_SECRET", f"{weakness}; {MAKE_A_SECRET}")
    return Secret(decoded)


def secret_weakness(raw: str, decoded: bytes, *, hex_form: bool) -> str | None:
    """Why a secret of at least 32 bytes is still not a random key, or None.

    Each rule refuses a random secret (secrets.token_hex(32), token_urlsafe(32),
    base64 of 32 random bytes) with a probability below about one in a million
    (the figures are per rule; tests/test_settings.py tries 20,000 random secrets).
    """
    if decoded == bytes.fromhex(LOCAL_ACK_SECRET):
        return "is the public secret of the local console, printed in the source code"
    if _repeats(decoded) or _repeats(bytes((b - a) % 256 for a, b in itertools.pairwise(decoded))):
        # A pattern no longer than half the secret, repeated ("abab..."), or a
        # counting sequence (00 01 02 ...): random bytes never repeat like that.
        return "repeats a short pattern"
    if len(set(decoded)) < len(decoded) // 2:
        # 32 random bytes hold about 30 different values; fewer than 16: ~1e-15.
        return "repeats the same few bytes"
    if all(0x20 <= b < 0x7F for b in decoded):
        # Every byte printable: text (a password) encoded as hex or base64. For
        # 32 random bytes: (95/256)**32, about 2e-14.
        return "is text encoded as hex or base64, not random bytes"
    if hex_form and raw.isdigit():
        # 64 random hex digits with no letter a-f: (10/16)**64, about 1e-13.
        return "uses only the digits 0-9, not random hex"
    if not hex_form:
        letters = [c for c in raw if c.isascii() and c.isalpha()]
        if not any(c.isupper() for c in letters) or not any(c.islower() for c in letters):
            # Random base64 of 43 or more characters lacks upper (or lower) case
            # letters with probability (38/64)**43, about 2e-10.
            return "only looks like base64: it has no mix of upper and lower case"
    steps = sum(1 for a, b in itertools.pairwise(raw.lower())
                if a.isalnum() and b.isalnum() and abs(ord(b) - ord(a)) == 1)
    if 2 * steps >= len(raw) - 1:
        # "abcd...", "0123...": in random text a character follows its neighbour in
        # the alphabet at about 1 pair in 16; half the pairs or more: below 1e-9.
        return "runs through the alphabet or the digits"
    if _distinct_chance(len(raw), len(set(raw.lower() if hex_form else raw)),
                        16 if hex_form else 64) < 1e-7:
        # Words and typed patterns reuse a few characters: a random secret of this
        # length uses so few different characters with probability below 1e-7.
        return "uses too few different characters to be random (it reads like words)"
    return None


def _distinct_chance(length: int, distinct: int, alphabet: int) -> float:
    """The probability that `length` characters drawn at random from `alphabet`
    use at most `distinct` different ones."""
    return _occupancy(length, alphabet)[min(distinct, alphabet)]


@functools.lru_cache(maxsize=256)
def _occupancy(length: int, alphabet: int) -> tuple[float, ...]:
    """The occupancy distribution, cumulated: entry k is the probability that
    `length` random characters from `alphabet` use at most k different ones."""
    chances = [1.0] + [0.0] * alphabet  # chances[k]: exactly k different so far
    for _ in range(length):
        chances = [chances[k] * k / alphabet
                   + (chances[k - 1] * (alphabet - k + 1) / alphabet if k else 0.0)
                   for k in range(alphabet + 1)]
    return tuple(itertools.accumulate(chances))


def _repeats(data: bytes) -> bool:
    """Whether `data` is a pattern of at most half its length, repeated."""
    return any(data == (data[:period] * (len(data) // period + 1))[:len(data)]
               for period in range(1, len(data) // 2 + 1))


def _database_url(raw: str) -> DatabaseUrl:
    """DATABASE_URL: an SQLite file (sqlite:///relative or sqlite:////absolute),
    or a PostgreSQL server (postgresql://user:password@host:5432/name). The
    message of a bad one never repeats it: it may hold a password."""
    if raw.startswith("postgresql://"):
        try:
            return DatabaseUrl.postgresql(raw)
        except ValueError as exc:
            raise SettingsError("DATABASE_URL", str(exc)) from None
    prefix = "sqlite:///"
    if not raw.startswith(prefix) or len(raw) == len(prefix):
        raise SettingsError(
            "DATABASE_URL",
            "must look like sqlite:///relative/path.sqlite3, "
            "sqlite:////absolute/path.sqlite3 or postgresql://user:password@host:5432/name",
        )
    rest = raw[len(prefix) :]
    if "?" in rest or "#" in rest or "\x00" in rest:
        raise SettingsError("DATABASE_URL", "must be a plain file path, without ? or #")
    path = Path(rest)
    if rest.endswith("/") or path.name in ("", ".", ".."):
        raise SettingsError("DATABASE_URL", "must end with a file name")
    return DatabaseUrl.sqlite(path)


def _country(raw: str | None) -> str | None:
    if raw is None:
        return None
    import pycountry

    code = raw.upper()
    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        raise SettingsError("DEFAULT_COUNTRY", "must be an ISO 3166-1 two-letter code, like GB")
    return code


def _snowflake(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**64:
        raise SettingsError(name, "must be a Discord id (digits only)")
    return int(raw)


def is_loopback_host(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1: traffic that never leaves the machine."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint(variable: str, raw: str, secure: str, plain: str, example: str) -> str:
    """A Discord endpoint: every call carries the bot token, so it is encrypted
    (`secure` scheme) unless it stays on this machine (a local emulator or proxy)."""
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        raise SettingsError(variable, f"must be a URL such as {example}") from None
    if parts.scheme not in (secure, plain) or not host:
        raise SettingsError(variable, f"must be a {secure}:// URL such as {example}")
    if parts.scheme == plain and not is_loopback_host(host):
        raise SettingsError(
            variable,
            f"must use {secure}:// (the bot token travels with every call); plain {plain}:// "
            "is only for localhost, 127.0.0.0/8 or ::1",
        )
    return raw


def _http_url(raw: str) -> str:
    return _endpoint("DISCORD_API_BASE_URL", raw, "https", "http", DEFAULT_API_BASE).rstrip("/")


def _ws_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    return _endpoint("DISCORD_GATEWAY_URL", raw, "wss", "ws", "wss://gateway.discord.gg")


def _retention(raw: str | None) -> int:
    if raw is None:
        return 365
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise SettingsError("ACK_RETENTION_DAYS", "must be a whole number of days from 1 to 3650")
    return int(raw)


def _contact(raw: str | None) -> str | None:
    if raw is None:
        return None
    if len(raw) > 200 or not raw.isprintable():
        raise SettingsError("OPERATOR_CONTACT", "must be one line of at most 200 characters")
    return raw


def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").upper()
    if level not in LOG_LEVELS:
        raise SettingsError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}")
    return level


# More shards than any bot has (Discord assigns large bots a multiple of 16):
# a larger SHARD_COUNT is a typing mistake.
MAX_SHARD_COUNT = 100_000


def _shard_count(raw: str | None) -> int | None:
    """SHARD_COUNT: a whole number, or `auto` (or unset): Discord's recommendation."""
    if raw is None or raw.lower() == "auto":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_SHARD_COUNT:
        raise SettingsError("SHARD_COUNT", "must be a whole number of shards (1 or more), "
                                           "or auto for Discord's recommendation")
    return int(raw)


def _shard_ids(raw: str | None, count: int | None) -> tuple[int, ...] | None:
    """SHARD_IDS: the shards this process runs, as numbers and ranges (`0-3`,
    `4,5`, `0-1,6`), each below SHARD_COUNT. Unset: every shard."""
    if raw is None:
        return None
    ids: set[int] = set()
    for part in raw.split(","):
        match = re.fullmatch(r"\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?", part)
        if match is None:
            raise SettingsError("SHARD_IDS", "must be shard numbers and ranges, like 0-3 or 4,5")
        first = int(match[1])
        last = first if match[2] is None else int(match[2])
        if last < first:
            raise SettingsError("SHARD_IDS", f"the range {first}-{last} runs backwards")
        ids.update(range(first, last + 1))
    if count is None:
        raise SettingsError("SHARD_IDS", "needs SHARD_COUNT set to a number (every process "
                                         "must use the same count), not auto")
    if max(ids) >= count:
        raise SettingsError("SHARD_IDS", f"shard {max(ids)} does not exist: shards are "
                                         f"numbered 0 to {count - 1} (SHARD_COUNT={count})")
    return tuple(sorted(ids))


def _health_port(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError("HEALTH_PORT", "must be a TCP port number from 1 to 65535 "
                                           "(or empty: no health server)")
    return int(raw)


def _health_host(raw: str | None) -> str:
    """HEALTH_HOST: the address the health server listens on; an IP address (or
    localhost), so that it never depends on a name lookup."""
    if raw is None:
        return DEFAULT_HEALTH_HOST
    if raw.lower() == "localhost":
        return DEFAULT_HEALTH_HOST
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise SettingsError("HEALTH_HOST", "must be an IP address such as 127.0.0.1 (the "
                                           "default), ::1 or 0.0.0.0 (every interface)") from None


def _log_format(raw: str | None) -> str:
    form = (raw or "text").lower()
    if form not in LOG_FORMATS:
        raise SettingsError("LOG_FORMAT", "must be text or json")
    return form


def _translations(raw: str | None) -> str:
    mode = (raw or "checked").lower()
    if mode not in TRANSLATION_MODES:
        raise SettingsError("TRANSLATIONS", f"must be one of {', '.join(TRANSLATION_MODES)}")
    return mode
