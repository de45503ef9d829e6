"""DATABASE_URL as an object: which backend, and where its database is.

bot/settings.py parses the operator's text into a DatabaseUrl once (and says
what is wrong with it); the storage package picks the backend from its scheme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from bot.storage.errors import StorageError

Scheme = Literal["sqlite", "postgresql"]

POSTGRESQL_PREFIX = "postgresql://"
POSTGRESQL_DEFAULT_PORT = 5432


@dataclass(frozen=True)
class DatabaseUrl:
    """`sqlite:///relative/path` (relative to the working folder) or
    `sqlite:////absolute/path`: scheme "sqlite" and the file's `path`.
    `postgresql://user:password@host:port/name[?options]`: scheme "postgresql";
    the whole text (the password with it) is kept for the driver only, and only
    `user@host:port/name` is ever shown."""

    scheme: Scheme
    path: Path | None = None
    _text: str = field(default="", repr=False, compare=False)
    # For messages (postgresql): user@host:port/name, never the password.
    shown: str = field(default="", compare=False)

    @classmethod
    def sqlite(cls, path: Path) -> DatabaseUrl:
        """The URL of an SQLite file (for the console and the tests)."""
        return cls("sqlite", path)

    @classmethod
    def postgresql(cls, text: str) -> DatabaseUrl:
        """A postgresql:// URL; ValueError (whose message never holds the text,
        which may hold a password) when it is not one this backend can use."""
        if not text.startswith(POSTGRESQL_PREFIX):
            raise ValueError("must start with postgresql://")
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise ValueError("is not a valid postgresql:// URL (is the port a number? "
                             "is a special character in the password percent-encoded?)"
                             ) from None
        if not parts.hostname:
            raise ValueError("must name the server: postgresql://user:password@host:5432/name")
        name = unquote(parts.path.lstrip("/"))
        if not name or "/" in name:
            raise ValueError("must name the database after the server: "
                             "postgresql://user:password@host:5432/name")
        if parts.fragment or "\x00" in text:
            raise ValueError("must not hold a # fragment or a NUL character")
        user = unquote(parts.username) + "@" if parts.username else ""
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        shown = f"postgresql://{user}{host}:{port or POSTGRESQL_DEFAULT_PORT}/{name}"
        return cls("postgresql", None, text, shown)

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file; StorageError for a URL of another backend."""
        if self.scheme != "sqlite" or self.path is None:
            raise StorageError(f"DATABASE_URL is not an SQLite URL ({self.scheme})")
        return self.path

    @property
    def dsn(self) -> str:
        """The postgresql:// URL as the operator wrote it, password included: for
        the driver only, never for a message or a log."""
        if self.scheme != "postgresql" or not self._text:
            raise StorageError(f"DATABASE_URL is not a PostgreSQL URL ({self.scheme})")
        return self._text

    def __str__(self) -> str:
        """For messages: the SQLite file, or the server without the password."""
        if self.scheme == "sqlite":
            return str(self.path)
        return self.shown or f"{self.scheme}://..."
