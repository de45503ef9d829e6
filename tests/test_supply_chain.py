"""Supply chain (issue 11, point 15): every dependency, direct and indirect,
pinned with hashes in a lock file compiled from the requirements files;
installed with --require-hashes by CI and the README; no known-vulnerable
aiohttp."""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
# aiohttp 3.14.4 fixed GHSA-2g87-pp6c-29x5, the newest advisory known for it;
# every earlier advisory was fixed in an earlier release.
AIOHTTP_PAST_ADVISORIES = Version("3.14.4")


@dataclass(frozen=True)
class Pin:
    version: str
    marker: Marker | None
    hashes: frozenset[str]


def read_lock(path: Path) -> dict[str, Pin]:
    """name -> pin. Every requirement must be `name==version [; marker]` with at
    least one sha256 hash; anything else fails here."""
    text = re.sub(r"\\\n", " ", path.read_text())  # join continuation lines
    pins: dict[str, Pin] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        spec, *options = re.split(r"\s+(?=--)", line)
        requirement = Requirement(spec)
        [specifier] = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {spec} is not pinned exactly"
        hashes = frozenset(o.removeprefix("--hash=") for o in options)
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), spec
        assert all(o.startswith("--hash=") for o in options), f"{path.name}: {line}"
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"{path.name}: {name} twice"
        pins[name] = Pin(specifier.version, requirement.marker, hashes)
    return pins


def read_inputs(path: Path) -> dict[str, str]:
    """The pins of a requirements file and of the files it includes."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(read_inputs(path.parent / line.removeprefix("-r ").strip()))
        elif line:
            requirement = Requirement(line)
            [specifier] = requirement.specifier
            pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize("lock, source", [
    (RUNTIME_LOCK, ROOT / "requirements.txt"),
    (DEV_LOCK, ROOT / "requirements-dev.txt"),
])
def test_each_lock_pins_its_inputs_with_hashes(lock: Path, source: Path) -> None:
    pins = read_lock(lock)
    for name, version in read_inputs(source).items():
        assert name in pins, f"{name} is in {source.name} but not in {lock.name}: run bash .ci/lock"
        assert pins[name].version == version, f"{lock.name} is out of date: run bash .ci/lock"


def test_the_development_lock_holds_the_runtime_lock_exactly() -> None:
    """Same versions and files. Only a marker may differ, and only by the
    development lock needing the package everywhere: typing-extensions is
    runtime only before Python 3.13, but mypy needs it on every Python."""
    runtime, dev = read_lock(RUNTIME_LOCK), read_lock(DEV_LOCK)
    for name, pin in runtime.items():
        assert name in dev, name
        assert (dev[name].version, dev[name].hashes) == (pin.version, pin.hashes), name
        assert dev[name].marker in (pin.marker, None), name


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=lambda p: p.name)
def test_every_indirect_dependency_is_locked_too(lock: Path) -> None:
    """What each locked package needs (here, on this Python) is in the lock, so
    `pip install --require-hashes` never meets an unpinned dependency."""
    pins = read_lock(lock)
    checked = set()
    for name, pin in pins.items():
        if pin.marker is not None and not pin.marker.evaluate():
            continue  # for another Python or platform
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # a development tool in an environment without it
        for line in requires:
            needed = Requirement(line)
            if needed.marker is not None and not needed.marker.evaluate({"extra": ""}):
                continue
            assert canonicalize_name(needed.name) in pins, f"{name} needs {needed.name}"
        checked.add(name)
    # The runtime set is installed wherever the tests run: none of it went unchecked.
    runtime_here = {n for n, p in read_lock(RUNTIME_LOCK).items()
                    if p.marker is None or p.marker.evaluate()}
    assert runtime_here <= checked


def test_aiohttp_is_past_its_known_advisories() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        assert Version(read_lock(lock)["aiohttp"].version) >= AIOHTTP_PAST_ADVISORIES


def test_ci_and_the_readme_install_from_the_locks_with_hashes() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = (
        "python3 -m venv .venv && .venv/bin/pip install --require-hashes -r "
        "requirements-dev.lock && .venv/bin/python -m pytest"
    )
    console_command = (
        "python3 -m venv .venv && .venv/bin/pip install --require-hashes -r "
        "requirements.lock && .venv/bin/python -m bot console"
    )
    assert f"\n{test_command}\n" in readme and f"\n{console_command}\n" in readme
    # CI runs exactly the README's test command, as its last line.
    assert ci.rstrip().splitlines()[-1] == test_command
    installs = [line for line in ci.splitlines() if "pip install" in line]
    assert installs and all("--require-hashes -r requirements-dev.lock" in line
                            for line in installs)
