"""The operator's settings: read once from the environment and `.env`, validated here.

Every variable of SPEC section 6 is read and checked in this module and
nowhere else. A bad value raises SettingsError naming the variable and what
is expected; the program prints that one line and exits 2.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_DATABASE_URL = "sqlite:///data/metoo.sqlite3"
MIN_SECRET_BYTES = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    database_path: Path
    default_country: str | None
    dev_guild_id: int | None
    api_base_url: str
    gateway_url: str | None
    ack_retention_days: int
    operator_contact: str | None
    log_level: str

    @property
    def acknowledgements_available(self) -> bool:
        return self.ack_secret is not None


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    require_token: bool = True,
) -> Settings:
    """Read `.env` (if present) under the process environment, then validate.

    Variables already in the environment win over `.env`, as python-dotenv's
    load_dotenv does by default; os.environ itself is left untouched.
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

    return Settings(
        token=_token(get("DISCORD_TOKEN"), require_token),
        ack_secret=_ack_secret(get("ACK_SECRET")),
        database_path=_database_path(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        default_country=_country(get("DEFAULT_COUNTRY")),
        dev_guild_id=_snowflake("DEV_GUILD_ID", get("DEV_GUILD_ID")),
        api_base_url=_http_url(get("DISCORD_API_BASE_URL") or DEFAULT_API_BASE),
        gateway_url=_ws_url(get("DISCORD_GATEWAY_URL")),
        ack_retention_days=_retention(get("ACK_RETENTION_DAYS")),
        operator_contact=_contact(get("OPERATOR_CONTACT")),
        log_level=_log_level(get("LOG_LEVEL")),
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


def _ack_secret(raw: str | None) -> Secret | None:
    if raw is None:
        return None
    decoded: bytes | None = None
    if re.fullmatch(r"[0-9a-fA-F]+", raw) and len(raw) % 2 == 0:
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
    return Secret(decoded)


def _database_path(raw: str) -> Path:
    prefix = "sqlite:///"
    if not raw.startswith(prefix) or len(raw) == len(prefix):
        raise SettingsError(
            "DATABASE_URL",
            "must look like sqlite:///relative/path.sqlite3 or "
            "sqlite:////absolute/path.sqlite3 (only SQLite is supported so far)",
        )
    rest = raw[len(prefix) :]
    if "?" in rest or "#" in rest or "\x00" in rest:
        raise SettingsError("DATABASE_URL", "must be a plain file path, without ? or #")
    path = Path(rest)
    if rest.endswith("/") or path.name in ("", ".", ".."):
        raise SettingsError("DATABASE_URL", "must end with a file name")
    return path


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


def _http_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(
            "DISCORD_API_BASE_URL", f"must be an http(s) URL such as {DEFAULT_API_BASE}"
        )
    return raw.rstrip("/")


def _ws_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("ws", "wss") or not parts.netloc:
        raise SettingsError("DISCORD_GATEWAY_URL", "must be a ws:// or wss:// URL")
    return raw


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
