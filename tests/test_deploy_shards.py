"""deploy/metoo-bot@.service, the systemd template of shard processes: systemd
accepts an instance of it without a warning, each instance runs the shards its
name gives, and it is hardened like the single-process unit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import load_settings
from tests.support.program import REPO

TEMPLATE = REPO / "deploy" / "metoo-bot@.service"
CHECKOUT = "/opt/metoo-bot"


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        if os.environ.get("METOO_REQUIRE_SYSTEMD_ANALYZE") == "1":
            pytest.fail("systemd-analyze is required here (Debian's systemd package)")
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    return found


def instance(name: str, root: Path) -> Path:
    """The template as the instance `name`, its checkout under `root` (systemd-analyze
    verify checks that the program it starts exists)."""
    python = root / CHECKOUT.lstrip("/") / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.symlink_to(sys.executable)
    unit = root / f"metoo-bot@{name}.service"
    unit.write_text(TEMPLATE.read_text().replace(CHECKOUT, str(python.parents[2])))
    return unit


def values(key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", TEMPLATE.read_text(), flags=re.MULTILINE)


def test_an_instance_verifies_without_a_warning(tmp_path: Path) -> None:
    result = subprocess.run([systemd_analyze(), "verify", "--man=no",
                             str(instance("0-1", tmp_path))],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_an_instance_is_hardened(tmp_path: Path) -> None:
    result = subprocess.run([systemd_analyze(), "security", "--offline=yes", "--threshold=20",
                             str(instance("2-3", tmp_path))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    score = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert score is not None and float(score[1]) <= 2.0, result.stdout


def test_the_instance_name_is_the_processs_shards() -> None:
    assert values("Environment") == ["SHARD_IDS=%i"]
    # The shared settings first, then the instance's own (optional: the leading -).
    assert values("EnvironmentFile") == ["/etc/metoo-bot/metoo-bot.env",
                                         "-/etc/metoo-bot/metoo-bot@%i.env"]
    assert values("ExecStart") == [f"{CHECKOUT}/.venv/bin/python -m bot run"]
    assert "2" in values("RestartPreventExitStatus")[0].split()  # a bad setting: no loop
    for name, shards in (("0-1", (0, 1)), ("2-3", (2, 3)), ("4", (4,))):
        settings = load_settings({
            "DISCORD_TOKEN": "x", "SHARD_COUNT": "6", "SHARD_IDS": name,
            "DATABASE_URL": "postgresql://metoo@127.0.0.1:5432/metoo"}, env_file=None)
        assert settings.shard_ids == shards
