"""Files a test makes read-only: permission bits do not stop root, so as root the
immutable attribute is used instead. Import the fixture into a test module:
`from tests.support.files import MakeReadOnly, read_only  # noqa: F401`."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MakeReadOnly = Callable[[Path], Callable[[], None]]


@pytest.fixture
def read_only() -> Iterator[MakeReadOnly]:
    """`undo = read_only(path)` makes a file or folder read-only for this process.
    Root ignores permission bits, so as root the immutable attribute is used."""
    undos: list[Callable[[], None]] = []

    def make(target: Path) -> Callable[[], None]:
        if os.geteuid() != 0:
            mode = stat.S_IMODE(target.stat().st_mode)
            target.chmod(mode & ~0o222)
            undo = lambda: target.chmod(mode)  # noqa: E731
        else:
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(target)],
                                                capture_output=True).returncode != 0:
                pytest.skip("running as root where chattr +i is unavailable: root can "
                            "write any file, so nothing here is read-only")
            undo = lambda: subprocess.run([chattr, "-i", str(target)], check=True)  # noqa: E731
        undos.append(undo)
        return undo

    yield make
    for undo in undos:
        undo()
