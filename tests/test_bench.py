"""The benchmark runs end to end with tiny counts and reports every ratio."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.program import REPO, program_env


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=REPO, env=program_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text()
    for row in ("bare /ping", "/hotline", "/history timeline", "/metoo confirm (durable)",
                "/metoo count", "country autocomplete", "memory at READY", "metoo-bot"):
        assert row in report
    assert "| CPU x bare | p99 x bare | per s x bare | errors |" in report
    assert "| CPU x small |" in report
    # No interaction went unanswered.
    for line in report.splitlines():
        if line.startswith("| /") or line.startswith("| country"):
            assert line.rstrip("| ").endswith(" 0"), line
