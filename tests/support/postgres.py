"""A real PostgreSQL server for the tests, from Debian's packages.

`PostgresServer.start()` finds the server programs (/usr/lib/postgresql/*/bin),
initialises a cluster in a temporary folder, starts it on 127.0.0.1 on a free
port with a random password, and `stop()` removes it all. initdb refuses to run
as root, so as root the server runs as the `postgres` user that Debian's
package creates (METOO_POSTGRES_USER names another).

Where PostgreSQL is missing the PostgreSQL tests skip with one reason; with
METOO_REQUIRE_POSTGRES=1 (set by .ci/run) they fail instead, and the session
fails if none of them passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

REQUIRE_ENV = "METOO_REQUIRE_POSTGRES"
USER_ENV = "METOO_POSTGRES_USER"
BIN_ENV = "METOO_POSTGRES_BIN"  # a folder with initdb, pg_ctl and postgres, if not Debian's
SUPERUSER = "metoo"
START_TIMEOUT_SECONDS = 60


class Unavailable(Exception):
    """PostgreSQL cannot be run here; the message says why, in one line."""


def required() -> bool:
    """Whether a missing PostgreSQL fails the tests instead of skipping them (CI)."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def find_binaries() -> Path:
    """The newest folder holding initdb, pg_ctl and postgres."""
    candidates = [Path(os.environ[BIN_ENV])] if os.environ.get(BIN_ENV) else sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise Unavailable("PostgreSQL's server programs are not installed "
                      "(/usr/lib/postgresql/*/bin; on Debian: apt-get install postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    binaries: Path
    folder: Path
    port: int
    password: str = field(repr=False)
    run_as: str | None  # the user the server runs as, when the tests run as root
    log: Path = field(init=False)
    _databases: int = 0

    def __post_init__(self) -> None:
        self.log = self.folder / "server.log"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def start(cls) -> PostgresServer:
        binaries = find_binaries()
        run_as = None
        if os.geteuid() == 0:
            run_as = os.environ.get(USER_ENV, "postgres")
            try:
                pwd.getpwnam(run_as)
            except KeyError:
                raise Unavailable(f"the tests run as root, and initdb refuses root, but there "
                                  f"is no '{run_as}' user to run PostgreSQL as") from None
        folder = Path(tempfile.mkdtemp(prefix="metoo-postgres-"))
        server = cls(binaries, folder, free_port(), secrets.token_urlsafe(18), run_as)
        try:
            server._initdb()
            server._start_with_free_port()
        except BaseException:
            server._remove()
            raise
        return server

    def _own(self, path: Path) -> None:
        if self.run_as is not None:
            shutil.chown(path, self.run_as, self.run_as)

    def _run(self, *args: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, cwd=self.folder, capture_output=True, text=True,
                                timeout=timeout, env={"PATH": os.environ.get("PATH", ""),
                                                      "LC_ALL": "C"})
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            log = self.log.read_text(errors="replace").strip().splitlines()[-5:] \
                if self.log.exists() else []
            raise Unavailable(f"{args[0]} failed: {' / '.join(tail + log)}")

    def _initdb(self) -> None:
        self._own(self.folder)
        self.folder.chmod(0o700)
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n")
        password_file.chmod(0o600)
        self._own(password_file)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={password_file}",
                  "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync")
        password_file.unlink()

    def _configure(self) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            # VACUUM in the tests is the bot's own, never autovacuum's.
            "autovacuum": "off",
            "fsync": "on",
            "synchronous_commit": "on",
            "max_connections": "200",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            for name, value in settings.items():
                conf.write(f"{name} = {value}\n")

    def _start_with_free_port(self) -> None:
        for attempt in range(3):
            self._configure()
            try:
                self.start_again()
                return
            except Unavailable:
                if attempt == 2:
                    raise
                self.port = free_port()

    def start_again(self) -> None:
        """Start the server (after stop() or crash())."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", str(START_TIMEOUT_SECONDS), "start")

    def crash(self) -> None:
        """Stop the server as a power cut would, for the durability test: no
        shutdown checkpoint; on restart it recovers from its write-ahead log."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        with contextlib.suppress(Unavailable, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------ databases
    def url(self, database: str = "postgres") -> str:
        return (f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{database}")

    async def admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url(), timeout=10)

    async def create_database(self) -> str:
        """A new empty database; its name."""
        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        conn = await self.admin()
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return name

    async def drop_database(self, name: str) -> None:
        conn = await self.admin()
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A server for the length of the block (Unavailable if it cannot run here)."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


def run(coroutine_function, *args):  # type: ignore[no-untyped-def]
    """Run an asyncpg coroutine from synchronous test code, in a thread with its
    own event loop (the test's loop may be running in this one)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function(*args))).result()
