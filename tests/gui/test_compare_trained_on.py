"""Compare Two Checkpoints marks the images a checkpoint was trained on (a fine-tune of 2 iterations
on a 3-image export, compared with a start that records nothing): the table's "trained on" column,
the summary's count and held-out scores, the CSV's columns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import torch
from PySide6.QtCore import QSettings

from app.training.compare_dialog import CompareDialog
from app.training.compare_table import COLUMNS
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.tiny_model import save_tiny_checkpoint
from tests.unit.test_trained_on_fingerprint import _run

WAIT_MS = 120_000


def test_the_images_a_checkpoint_trained_on_are_marked_and_held_out_apart(qtbot, demo_dir: Path,
                                                                          tmp_path: Path) -> None:
    torch.set_num_threads(1)
    cfg, export = _run(demo_dir, tmp_path)
    tuned = cfg.run_dir() / "best.safetensors"
    start = save_tiny_checkpoint(tmp_path / "start.safetensors", seed=0)  # records no training images
    paths = sorted((export / "JPEGImages").glob("*.jpg"))
    train = set((export / "ImageSets" / "Segmentation" / "train.txt").read_text().split())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(start, device="cpu"), lambda: paths, input_size=64)
    qtbot.addWidget(dialog)
    try:
        dialog.set_checkpoints(start, tuned)
        with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
            assert dialog.start()
        column = COLUMNS.index("trained on")
        shown = {dialog.table.path_at(r).stem: dialog.table.item(r, column).text()
                 for r in range(dialog.table.rowCount())}
        # A records nothing: each row says so, and what B says (held out of B is "no", never "?")
        assert shown == {p.stem: f"A: not recorded, B: {'yes' if p.stem in train else 'no'}" for p in paths}, shown
        summary = dialog.summary.text()
        assert f"Trained on 3 of these {len(paths)} images (B on 3)" in summary, summary
        assert "A records no training images" in summary, summary
        assert f"Held out: {len(paths) - 3} images compared" in summary, summary
        out = tmp_path / "compare.csv"
        dialog.save_csv(out)
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert {Path(r["image"]).stem: (r["trained on A"], r["trained on B"]) for r in rows} == {
            p.stem: ("", "yes" if p.stem in train else "no") for p in paths}
    finally:
        dialog.shutdown()
