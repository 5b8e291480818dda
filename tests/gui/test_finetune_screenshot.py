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


def test_the_capture_shows_a_users_paths_not_this_machines(tmp_path: Path, tiny_checkpoint: Path) -> None:
    """The default model (found here through FOSP_MODELS) is shown where a clone in the user's home
    keeps it, the dataset and the run in that home: the picture named /work/main/... before."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "fosp-default.safetensors").write_bytes(tiny_checkpoint.read_bytes())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CACHE": str(tmp_path / "cache"),
           "FOSP_MODELS": str(models)}
    done = subprocess.run([sys.executable, "-m", "app.training.screenshot", str(tmp_path / "shot.png"),
                           "--iterations", "2"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    shown = dict(line.split(": ", 1) for line in done.stdout.splitlines()
                 if line.startswith(("Dataset: ", "Start from: ", "Run: ")))
    home = Path(shown["Dataset"]).parent
    assert Path(shown["Start from"]) == home / "fosp-studio" / "resources" / "models" / "fosp-default.safetensors"
    assert Path(shown["Run"]).is_relative_to(home / ".cache" / "fosp" / "runs")
    assert not [path for path in shown.values() if str(ROOT) in path or str(tmp_path) in path]
    assert not (tmp_path / "cache").exists()
