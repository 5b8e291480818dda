"""`python -m app.training.screenshot OUT.png` (how docs/images/finetune-dialog.png is made): the
dialog runs a real fine-tune to its end and is saved; nothing is left outside the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_the_capture_runs_a_fine_tune_to_its_end_and_saves_the_dialog(tmp_path: Path,
                                                                    tiny_checkpoint: Path) -> None:
    out = tmp_path / "shots" / "finetune.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "app.training.screenshot", str(out), "--iterations", "2",
                           "--start", str(tiny_checkpoint)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (860, 720)
    assert not (tmp_path / "cache").exists()  # the run went to the temporary folder
