"""DATABASE_URL as an object: which backend, and where its database is.

bot/settings.py parses the operator's text into a DatabaseUrl once (and says
what is wrong with it); the storage package picks the backend from its scheme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.storage.errors import StorageError

Scheme = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class DatabaseUrl:
    """`sqlite:///relative/path` (relative to the working folder) or
    `sqlite:////absolute/path`: scheme "sqlite" and the file's `path`.
    `postgresql://...`: scheme "postgresql" (not supported yet; the text is kept
    for that backend and never shown, as it may hold a password)."""

    scheme: Scheme
    path: Path | None = None
    _text: str = field(default="", repr=False, compare=False)

    @classmethod
    def sqlite(cls, path: Path) -> DatabaseUrl:
        """The URL of an SQLite file (for the console and the tests)."""
        return cls("sqlite", path)

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file; StorageError for a URL of another backend."""
        if self.scheme != "sqlite" or self.path is None:
            raise StorageError(f"DATABASE_URL is not an SQLite URL ({self.scheme})")
        return self.path

    def __str__(self) -> str:
        """For messages: the SQLite file, or only the scheme (never a password)."""
        return str(self.path) if self.scheme == "sqlite" else f"{self.scheme}://..."
