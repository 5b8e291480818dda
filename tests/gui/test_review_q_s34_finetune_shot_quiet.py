"""Session 34, review Q: the README's `python -m app.training.screenshot docs/images/finetune-dialog.png`
printed Qt's offscreen noise ('This plugin does not support propagateSizeHints()', '... raise()', six
lines) among its report, which `python main.py --screenshot` drops (app.main.quiet_offscreen_platform)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the capture (a real fine-tune, a minute) replaced by a window shown and raised, as the dialog is
PROBE = """
import sys
from app.training import screenshot
from PySide6.QtWidgets import QWidget

def capture(app, out, iterations, start):
    window = QWidget()
    window.show()
    window.raise_()
    app.processEvents()
    window.close()
    return 0

screenshot.capture = capture
sys.exit(screenshot.main([sys.argv[1]]))
"""


def test_review_q_s34_the_fine_tune_capture_prints_no_offscreen_noise(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "shot.png")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "This plugin does not support" not in done.stderr, done.stderr
