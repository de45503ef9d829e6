"""Running the real program (`python -m bot`, the console, the benchmark) in a
subprocess, with nothing of the caller's environment but PATH."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def program_env(repo: Path = REPO, **extra: str) -> dict[str, str]:
    """The environment of a subprocess that runs the program from `repo`: PATH to
    find Python, PYTHONPATH to find the bot, and `extra` (the settings under test)."""
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(repo), **extra}


def run_program(args: list[str], cwd: Path, env: dict[str, str],
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with exactly `env`; its output as text."""
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
