"""While Run on all runs, the Model panel's "Model ready · N images done" line counts the results as
they come, under the progress bar.

Found in the analyst's day of session 29 (task I): with 3 of 6 images done (progress bar "3 / 6
images", the metrics box already scoring 3), the line under it still read "Model ready (CPU) · no
results yet", as it was when the run started; it changed only once the run was over."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

HELD_AT = 3  # the image whose prediction waits (1-based): two are done by then


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_done_count_follows_the_run(qtbot, make_window, checkpoint, demo_dir, tmp_path, monkeypatch) -> None:
    root = tmp_path / "data"
    for folder in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(demo_dir / folder, root / folder)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [root], tmp_path / "projects")
    engine = ctl.worker._engine
    predict_one, calls, held, release = engine._predict_one, [], threading.Event(), threading.Event()

    def holding(*args, **kwargs) -> bool | None:  # noqa: ANN002, ANN003
        calls.append(1)
        if len(calls) == HELD_AT:
            held.set()
            release.wait(10)
        return predict_one(*args, **kwargs)  # its outcome: None says cancelled between tiles (engine_stop)

    monkeypatch.setattr(engine, "_predict_one", holding)
    assert ctl.panel.status_label.text() == "Model ready (CPU) · no results yet"
    request = run_all(qtbot, ctl)
    try:
        qtbot.waitUntil(held.is_set, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: ctl.panel.progress.value() == HELD_AT - 1, timeout=WAIT_MS)
        qtbot.wait(50)  # what the GUI thread had queued
        assert ctl.panel.status_label.text() == f"Model ready (CPU) · {HELD_AT - 1} images done"
    finally:
        release.set()
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    assert ctl.panel.status_label.text() == f"Model ready (CPU) · {len(window.session)} images done"
