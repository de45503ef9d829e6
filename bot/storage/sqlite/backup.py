"""Backups of the SQLite file (`python -m bot backup PATH` and `restore PATH`).

A backup is made with SQLite's online backup API from a read-only connection, in one
step: one read transaction, so the copy is consistent even while the bot writes (it
goes on answering; only its checkpoint of the write-ahead log waits for the copy).
The copy is one self-contained file (rollback journal, not WAL), created owner-only
(0600), never over an existing file.

A restore copies a backup into the database with the same API, holding the
database in exclusive locking mode, which SQLite grants only while no other
connection has it open: so it refuses while the bot runs. The backup must be a
database of this program at a schema this program knows (an older one is
upgraded by the bot at its next start).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from bot.storage.errors import StorageError
from bot.storage.sqlite.backend import create_private_file, latest_version


def _read_only_uri(path: Path) -> str:
    return "file:" + quote(str(path.absolute())) + "?mode=ro"


@contextlib.contextmanager
def _closing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield conn
    finally:
        conn.close()


def backup(database: Path, target: Path) -> str:
    """Copy the database at `database` to a new file `target`; one line saying what
    was written, or StorageError with the reason."""
    if not database.is_file():
        raise StorageError(f"there is no database at {database} to back up")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StorageError(f"{target} already exists; not overwriting it") from None
    except OSError as exc:
        raise StorageError(f"cannot create {target} ({_reason(exc)})") from None
    os.close(fd)
    try:
        with _closing(sqlite3.connect(_read_only_uri(database), uri=True)) as source, \
                _closing(sqlite3.connect(target, isolation_level=None)) as copy:
            version = int(source.execute("PRAGMA user_version").fetchone()[0])
            source.backup(copy)  # every page in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            _check(copy, target)
    except (sqlite3.Error, StorageError) as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, StorageError):
            raise
        raise StorageError(f"could not back up {database}: {exc}") from exc
    os.chmod(target, 0o600)
    size = target.stat().st_size
    return f"backed up {database} (schema {version}) to {target} ({size} bytes, mode 600)"


def restore(database: Path, source: Path) -> str:
    """Replace the database at `database` with the backup `source`; one line saying
    what was done, or StorageError (nothing changed) with the reason."""
    version = _backup_version(source)
    try:
        create_private_file(database)
    except OSError as exc:
        raise StorageError(f"cannot open the database at {database}: {exc}") from exc
    try:
        with _closing(sqlite3.connect(database, isolation_level=None, timeout=0)) as target:
            # Exclusive locking mode keeps the lock after the transaction, until
            # the connection closes; SQLite refuses it while any other connection
            # (the bot's, a backup's, a shell's) has the database open.
            target.execute("PRAGMA locking_mode = EXCLUSIVE")
            try:
                target.execute("BEGIN EXCLUSIVE")
                target.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StorageError(
                        f"the database at {database} is in use (is the bot running?); stop "
                        "the bot, and anything else that has the database open, first"
                    ) from None
                raise
            with _closing(sqlite3.connect(_read_only_uri(source), uri=True)) as backup_:
                backup_.backup(target)
            target.execute("PRAGMA journal_mode = WAL")  # as the bot keeps it
            _check(target, database)
    except sqlite3.Error as exc:
        raise StorageError(f"could not restore into {database}: {exc}") from exc
    create_private_file(database)  # owner-only, its -wal and -shm too
    return (f"restored {database} from {source} (schema {version}"
            + ("" if version == latest_version() else
               f"; the bot upgrades it to {latest_version()} when it starts") + ")")


def _backup_version(source: Path) -> int:
    """The schema version of a backup this program can restore, else StorageError."""
    if not source.is_file():
        raise StorageError(f"there is no backup at {source}")
    try:
        with _closing(sqlite3.connect(_read_only_uri(source), uri=True)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            _check(conn, source)
    except sqlite3.Error as exc:
        raise StorageError(f"{source} is not a usable SQLite database: {exc}") from exc
    if version > latest_version():
        raise StorageError(f"{source} is at schema {version}, newer than this program "
                           f"({latest_version()}); restore it with the version that made it")
    if version < 1 or "meta" not in tables or "acknowledgements" not in tables:
        raise StorageError(f"{source} is not a metoo-bot database (schema {version})")
    return version


def _check(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise StorageError(f"{path} fails SQLite's integrity check: {result}")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
