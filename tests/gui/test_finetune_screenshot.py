"""`python -m app.training.screenshot OUT.png` (how docs/images/finetune-dialog.png is made): the
dialog runs a real fine-tune to its end and is saved; nothing is left outside the temporary folder.

One capture (a process, which starts the fine-tune's own process) serves every check: it was two, one
with `--start` and one with the default model, each paying a capture and a fine-tune (~8 s each in the
suite's durations). `--start` reaching the capture is checked in-process, with the capture stood in for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_the_capture_runs_a_fine_tune_to_its_end_and_shows_a_users_paths(tmp_path: Path,
                                                                        tiny_checkpoint: Path) -> None:
    """The default model (found here through FOSP_MODELS) is shown where a clone in the user's home
    keeps it, the dataset and the run in that home: the picture named /work/main/... before."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "fosp-default.safetensors").write_bytes(tiny_checkpoint.read_bytes())
    out = tmp_path / "shots" / "finetune.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FOSP_CACHE": str(tmp_path / "cache"),
           "FOSP_MODELS": str(models)}
    done = subprocess.run([sys.executable, "-m", "app.training.screenshot", str(out), "--iterations", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (860, 720), "the dialog's picture at its size"
    assert not (tmp_path / "cache").exists(), "the run went to the temporary folder, not the user's cache"
    shown = dict(line.split(": ", 1) for line in done.stdout.splitlines()
                 if line.startswith(("Dataset: ", "Start from: ", "Run: ")))
    home = Path(shown["Dataset"]).parent
    assert Path(shown["Start from"]) == home / "fosp-studio" / "resources" / "models" / "fosp-default.safetensors"
    assert Path(shown["Run"]).is_relative_to(home / ".cache" / "fosp" / "runs")
    assert not [path for path in shown.values() if str(ROOT) in path or str(tmp_path) in path]


def test_start_names_the_checkpoint_the_capture_starts_from(tmp_path: Path, tiny_checkpoint: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`--start CHECKPOINT` and `--iterations N` reach the capture (the run itself: the test above), called
    in this process as `python -m app.training.screenshot` runs it, with the app and the capture stood in for."""
    import app.main
    from app.training import screenshot

    asked: list[tuple[Path, int, Path | None]] = []

    def capture(app: object, out: Path, iterations: int, start: Path | None) -> int:
        asked.append((out, iterations, start))
        return 0

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # (main sets it)
    monkeypatch.setattr(app.main, "create_app", lambda *_args: None)
    monkeypatch.setattr(app.main, "quiet_offscreen_platform", lambda: None)
    monkeypatch.setattr(screenshot, "capture", capture)
    out = tmp_path / "shot.png"
    assert screenshot.main([str(out), "--iterations", "2", "--start", str(tiny_checkpoint)]) == 0
    assert asked == [(out, 2, tiny_checkpoint)]
