"""The metrics table after "Run on all" over more images than the result cache keeps: its total and
size-bucket rows cover every image run (the numbers of ``fosp eval`` on the same images and
settings), a second "Run on all" runs nothing, and only what a new threshold, rule or label needs runs
again. Also: exporting the compare grid without a result says there is nothing to export.

The cache is made smaller than the folder (``cache.max_items``) instead of opening hundreds of images."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from app.analysis.controller import NOTHING_TO_EXPORT, AnalysisController
from app.analysis.metrics_box import ROWS
from fosp_core.data.datasets import open_dataset
from fosp_core.infer import probability_fn
from fosp_core.io.masks import read_mask, write_mask_png
from fosp_core.metrics import SPLITS
from fosp_core.metrics.evaluate import evaluate
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, ready_window, save_tiny_checkpoint

CACHE = 2  # results the cache keeps in these tests: half the folder


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


@pytest.fixture
def dataset(demo_dir: Path, tmp_path: Path) -> Path:
    """A copy of the demo samples (4 labelled photos) whose labels a test may change."""
    root = tmp_path / "data"
    for folder in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(demo_dir / folder, root / folder)
    return root


def _run_all(qtbot, ctl: AnalysisController) -> int:  # noqa: ANN001
    """Run on all, wait until it is over and the metrics box is filled; returns how many images ran."""
    calls = ctl.worker.calls
    request = run_all(qtbot, ctl)
    if request is not None:
        qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    ctl.update_metrics()
    return ctl.worker.calls - calls


def _assert_as_fosp_eval(ctl: AnalysisController, checkpoint: Path, root: Path) -> None:
    """The box's total and bucket rows are `fosp eval --checkpoint --input-size INPUT --threshold T
    [--keep RULE]` on `root`, to the last digit."""
    fn = probability_fn(checkpoint, device="cpu", input_size=INPUT)
    expected = evaluate(open_dataset(root), fn, threshold=ctl.settings.threshold, keep=ctl.settings.keep).tables
    n = expected["total"].n
    assert ctl.metrics.value("total", "n") == str(n)
    assert ctl.metrics.value("total", "IoU") == f"{expected['total'].miou * 100:.1f}"
    assert ctl.metrics.note.text().startswith(f"{n} labelled images with results"), ctl.metrics.note.text()
    shown = ctl.scores.table.buckets()
    for split in SPLITS:
        want, got = expected[split], shown[split]
        assert got.n == want.n, split
        pairs = [(got.f_beta, want.f_beta), (got.iou, want.miou), (got.precision, want.precision),
                 (got.recall, want.recall), (got.m, want.mse)]
        for mine, theirs in pairs:
            assert mine == theirs or (math.isnan(mine) and math.isnan(theirs)), (split, pairs)


def test_totals_cover_every_image_run_not_only_the_cached_ones(qtbot, make_window, checkpoint, dataset,
                                                              tmp_path) -> None:
    """Run on all over more labelled images than the result cache keeps (200 against 64 in the app):
    the total and small/medium/large rows covered only the images whose results were still cached
    (the last 64), and a second Run on all re-ran the dropped ones."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [dataset], tmp_path / "projects")
    ctl.cache.max_items = CACHE
    count = len(window.session)
    assert count > CACHE
    assert _run_all(qtbot, ctl) == count
    assert len(ctl.cache) == CACHE  # the maps of the others are gone...
    _assert_as_fosp_eval(ctl, checkpoint, dataset)  # ...their scores are not
    assert [ctl.metrics.value(row, "n") for row in ROWS[1:]].count("–") < 4

    # a second Run on all has nothing to do
    assert _run_all(qtbot, ctl) == 0
    assert ctl.panel.status_label.text() == "Every image is already scored at these settings"
    _assert_as_fosp_eval(ctl, checkpoint, dataset)


def test_what_runs_again_after_navigation_threshold_rule_or_label_changes(qtbot, make_window, checkpoint,
                                                                         dataset, tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [dataset], tmp_path / "projects")
    ctl.cache.max_items = CACHE
    count = len(window.session)
    assert _run_all(qtbot, ctl) == count

    # going to an image whose result left the cache runs it again, to show it
    dropped = next(i for i, p in enumerate(window.session.paths)
                   if ctl._key(p) not in ctl.cache and p != window.session.current_path)
    calls = ctl.worker.calls
    window.session.set_current(dropped)
    key = ctl._key(window.session.paths[dropped])
    qtbot.waitUntil(lambda: key in ctl.cache and ctl.prediction is ctl.cache.get(key) and not ctl._runs,
                    timeout=WAIT_MS)
    assert ctl.worker.calls == calls + 1

    # another threshold: the cached results score at once, the others run again on Run on all
    ctl.settings.set_threshold(0.3)
    ctl.update_metrics()
    cached = len(ctl.cache)
    assert ctl.metrics.value("total", "n") == str(cached)
    assert f"{count - cached} more ran at other settings" in ctl.metrics.note.text(), ctl.metrics.note.text()
    assert _run_all(qtbot, ctl) == count - cached
    _assert_as_fosp_eval(ctl, checkpoint, dataset)

    # back to the first threshold: its scores are still known, nothing runs
    ctl.settings.set_threshold(0.5)
    assert _run_all(qtbot, ctl) == 0
    _assert_as_fosp_eval(ctl, checkpoint, dataset)

    # a label that changed on disk: that image's scores are unknown until it runs again (the box looks
    # at label files again after LABEL_RECHECK_S; Run on all always does)
    ctl.scores.label_recheck_s = 0
    path = next(p for p in window.session.paths if ctl._key(p) not in ctl.cache)
    label_file = dataset / "SegmentationClass" / f"{path.stem}.png"
    label = read_mask(label_file)
    write_mask_png(label_file, np.where(label == 255, label, 1 - np.minimum(label, 1)).astype(np.uint8))
    ctl.update_metrics()
    assert ctl.metrics.value("total", "n") == str(count - 1)
    assert _run_all(qtbot, ctl) == 1
    _assert_as_fosp_eval(ctl, checkpoint, dataset)

    # the region rule too
    ctl.settings.set_keep("core:0.7")
    assert _run_all(qtbot, ctl) == count - len(ctl.cache)
    _assert_as_fosp_eval(ctl, checkpoint, dataset)


def test_export_compare_grid_without_a_result_says_there_is_nothing_to_export(qtbot, make_window, checkpoint,
                                                                              demo_dir, tmp_path,
                                                                              monkeypatch) -> None:
    """Analysis ▸ Export Compare Grid… before the model ran on the image wrote a PNG of five empty
    panels (the photo alone in the first)."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    out = tmp_path / "grid.png"
    assert ctl.prediction is None
    assert not ctl.action_export_grid.isEnabled()
    assert not ctl.export_grid(out) and not out.exists()
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (asked.append("asked"), (str(out), ""))[1])
    ctl.export_grid_dialog()  # a shortcut or a script may call it with the action disabled
    assert asked == [] and not out.exists()
    assert window.statusBar().currentMessage() == NOTHING_TO_EXPORT
    assert ctl.errors == []

    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    assert ctl.action_export_grid.isEnabled()
    ctl.export_grid_dialog()
    assert asked == ["asked"] and out.is_file()

    window.session.set_current(1)  # no result there: nothing to export again
    qtbot.waitUntil(lambda: window.session.current_index == 1 and window.session.current_image is not None,
                    timeout=WAIT_MS)
    assert ctl.prediction is None and not ctl.action_export_grid.isEnabled()
