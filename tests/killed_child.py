"""A real child process killed (SIGKILL) where it says it is, for the kill-mid-way tests (no tests here)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def kill_when_said(script: str, args: list[str], said: list[str]) -> None:
    """Run ``python -c script *args`` in the repository (its package on PYTHONPATH), read its first line,
    whose words must be `said`, and SIGKILL it there (also when they are not); no timing."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True, cwd=REPO,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout is not None
        assert child.stdout.readline().split() == said
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
