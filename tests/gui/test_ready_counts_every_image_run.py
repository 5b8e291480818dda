"""The Model panel's "Model ready (CPU) · N images done" counts every image the model ran on at this τ,
also those whose results have left the result cache (their scores stay, the metrics box counts them
and Run on all does not run them again).

Found in the analyst's day of session 29 (task I): after Run on all over more images than the cache
keeps (64 results, or 512 MiB: about 10 photos of 4000 x 3000) the panel said "10 images done" under
a metrics box of 20 images with results; it counted the cached results only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_images_done_counts_the_runs_the_cache_let_go(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    root = tmp_path / "data"
    for folder in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(demo_dir / folder, root / folder)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [root], tmp_path / "projects")
    ctl.cache.max_items = 2  # fewer than the 4 images
    count = len(window.session)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    assert len(ctl.cache) == 2
    ctl.update_metrics()
    assert ctl.metrics.value("total", "n") == str(count)
    assert ctl.panel.status_label.text() == f"Model ready (CPU) · {count} images done"
