"""Analysis ▸ Compare Two Checkpoints…: two real checkpoints run on the open demo images on the
dialog's worker thread; rows, summary, previews, sorting, opening an image, CSV, cancel, and the
mistakes the dialog refuses (a missing checkpoint, a broken one, no images)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import Qt

from fosp_core.checkpoint import save_checkpoint
from fosp_core.infer.devices import resolve_device
from fosp_core.model import build_model
from tests.gui.conftest import WindowFactory

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
INPUT = 64  # tiny network input: the tests check wiring, not accuracy
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def two_checkpoints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two randomly initialised fosp-s with different seeds, saved as real checkpoints."""
    folder = tmp_path_factory.mktemp("models")
    out = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        out.append(save_checkpoint(build_model("fosp-s").eval(), folder / f"seed{seed}.safetensors"))
    return out[0], out[1]


def _window_with_demo(qtbot, make_window: WindowFactory, demo_dir: Path, checkpoint: Path):
    window = make_window(default_model=checkpoint)
    window.analysis.worker.set_input_size(INPUT)
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    return window, paths


def test_compare_two_checkpoints_on_the_open_images(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                   two_checkpoints, tmp_path: Path) -> None:
    a, b = two_checkpoints
    window, paths = _window_with_demo(qtbot, make_window, demo_dir, a)
    assert window.training.compare_action in window.analysis.menu.actions()
    window.training.compare_action.trigger()
    dialog = window.training.compare_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.input_size == INPUT
    assert dialog.a_edit.text() == str(a)  # the Model panel's checkpoint
    assert f"{len(paths)} images open, {len(paths)} with a ground truth" in dialog.status.text()
    dialog.b_edit.setText(str(b))
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
        assert not dialog.compare_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert done.args == [False]
    assert "Done" in dialog.status.text(), dialog.status.text()
    assert dialog.table.rowCount() == len(paths) == len(dialog.rows)
    assert all(r.labelled and not r.error for r in dialog.rows)
    assert dialog.progress_bar.value() == len(paths)
    summary = dialog.summary.text()
    assert f"{len(paths)} images compared" in summary and f"F_β total ({len(paths)})" in summary
    # the same model twice agrees with itself everywhere; two seeds need not, but the numbers are real
    for row in dialog.rows:
        assert 0.0 <= row.agreement <= 1.0 and 0.0 <= row.scores[0].f_beta <= 1.0
    # a selected row shows both previews; sorting by the change keeps rows and previews together
    dialog.table.selectRow(0)
    assert not dialog.preview_a.pixmap().isNull() and not dialog.preview_b.pixmap().isNull()
    dialog.table.sortItems(4, Qt.SortOrder.AscendingOrder)
    changes = [float(dialog.table.item(r, 4).data(Qt.ItemDataRole.UserRole)) for r in range(len(paths))]
    assert changes == sorted(changes)
    # double-click opens that image in the main view
    target = Path(dialog.table.item(len(paths) - 1, 0).data(Qt.ItemDataRole.UserRole + 1))
    dialog._open_row(len(paths) - 1, 0)
    assert window.session.current_path == target.resolve() or window.session.current_path == target
    # CSV
    out = tmp_path / "compare.csv"
    assert dialog.save_button.isEnabled()
    dialog.save_csv(out)
    lines = list(csv.reader(out.open()))
    assert len(lines) == len(paths) + 1 and lines[0][0] == "image"
    assert window.services.settings.value("compare/last_checkpoint_b") == str(b)


def test_same_checkpoint_twice_agrees_and_ties(qtbot, make_window: WindowFactory, demo_dir: Path,
                                               two_checkpoints) -> None:
    a, _ = two_checkpoints
    window, paths = _window_with_demo(qtbot, make_window, demo_dir, a)
    dialog = window.training.open_compare(a, a)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert [r.agreement for r in dialog.rows] == [1.0] * len(paths)
    assert all(r.f_beta_change == 0.0 for r in dialog.rows)
    assert f"within 0.5 point on {len(paths)} of {len(paths)}" in dialog.summary.text()


def test_cancel_keeps_the_rows_so_far(qtbot, make_window: WindowFactory, demo_dir: Path, two_checkpoints) -> None:
    a, b = two_checkpoints
    window, paths = _window_with_demo(qtbot, make_window, demo_dir, a)
    dialog = window.training.open_compare(a, b)
    dialog.worker.row.connect(lambda *_: dialog.cancel())  # cancel as soon as the first row arrives
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
        assert dialog.start()
    assert done.args == [True]
    assert 1 <= dialog.table.rowCount() < len(paths)
    assert "Cancelled after" in dialog.status.text()
    assert dialog.compare_button.isEnabled() and dialog.save_button.isEnabled()


def test_mistakes_are_refused_with_a_reason(qtbot, make_window: WindowFactory, demo_dir: Path, two_checkpoints,
                                            tmp_path: Path) -> None:
    a, _ = two_checkpoints
    window = make_window(default_model=a)
    dialog = window.training.open_compare(a, tmp_path / "missing.safetensors")
    assert not dialog.start()
    assert "does not exist" in dialog.status.text()
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"this is not a checkpoint")
    dialog.set_checkpoints(a, broken)
    assert not dialog.start() and "Open some images first" in dialog.status.text()
    window.analysis.worker.set_input_size(INPUT)
    window.open_paths(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:1], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert "cannot load the checkpoints" in dialog.status.text() and dialog.table.rowCount() == 0
    assert dialog.compare_button.isEnabled()


def test_saved_csv_names_what_was_compared(qtbot, make_window: WindowFactory, demo_dir: Path, two_checkpoints,
                                           tmp_path: Path) -> None:
    """A CSV saved on Monday must say on Friday which two checkpoints it compares, on which images and
    with which settings: each row carries them in columns (plain CSV, so csv/pandas/Excel read it as is),
    those of the run, whatever the form and the Model panel say when it is saved."""
    a, b = two_checkpoints
    window, paths = _window_with_demo(qtbot, make_window, demo_dir, a)
    window.analysis.settings.set_threshold(0.4)
    window.analysis.settings.set_keep("core:0.7")
    dialog = window.training.open_compare(a, b)
    dialog.scope.setCurrentIndex(1)  # only images with a ground truth
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    window.analysis.settings.set_threshold(0.6)  # later changes do not rewrite what was run
    dialog.b_edit.setText(str(a))
    out = tmp_path / "compare.csv"
    dialog.save_csv(out)
    with out.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [Path(r["image"]) for r in table] == [r.path for r in dialog.rows] and len(table) == len(paths)
    for row in table:
        assert Path(row["checkpoint A"]) == a.absolute() and Path(row["checkpoint B"]) == b.absolute()
        assert row["variant A"] == row["variant B"] == "fosp-s"
        assert row["threshold"] == "0.4" and row["regions"] == "core:0.7"
        assert row["input size"] == str(INPUT) and row["input"] == f"{INPUT} px"
        assert row["images"] == "only images with a ground truth"
        assert Path(row["image folder"]) == demo_dir / "JPEGImages"
        assert row["device"] == str(resolve_device(window.analysis.settings.device))  # the one used, not "auto"
        assert row["precision"] == "fp32"
        assert row["compared at"][:4].isdigit() and "T" in row["compared at"]
