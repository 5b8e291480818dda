"""The metrics note did not count the images that ran at another Focus τ (session 37's review, an analyst comparing
τ on the demo): after Run on All Images at τ 0.15, moving τ to 0.30 re-ran the image shown and the box's total
fell to that one image, its note saying only "1 labelled image with results; threshold 0.50, τ 0.30", where README
says the note counts the images that ran at other settings (Run on All Images scores them) and does so for another
threshold or region rule. The 3 others are now counted in the note as those are: "3 more ran at other settings or
before their label changed: Run on All Images scores them"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

MORE = "more ran at other settings"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _run_all(qtbot, ctl) -> None:  # noqa: ANN001
    request = run_all(qtbot, ctl)
    if request is not None:
        qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    ctl.update_metrics()


def test_the_note_counts_the_images_that_ran_at_another_tau(qtbot, make_window, checkpoint, demo_dir,  # noqa: ANN001
                                                             tmp_path) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    _run_all(qtbot, ctl)
    assert ctl.metrics.value("total", "n") == "4" and MORE not in ctl.metrics.note.text()
    ctl.settings.set_tau(0.3)  # the image shown runs again at it (its separation and fusion)
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau == pytest.approx(0.3), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    ctl.update_metrics()
    note = ctl.metrics.note.text()
    assert ctl.metrics.value("total", "n") == "1", note
    assert f"3 {MORE}" in note and "Run on All Images scores them" in note, note  # was: nothing said of them
    _run_all(qtbot, ctl)  # what the note says to do
    assert ctl.metrics.value("total", "n") == "4" and MORE not in ctl.metrics.note.text(), ctl.metrics.note.text()
    ctl.settings.set_tau(0.15)  # back: every image has its result at it
    qtbot.waitUntil(lambda: ctl.prediction is not None and ctl.prediction.tau == pytest.approx(0.15), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    ctl.update_metrics()
    assert ctl.metrics.value("total", "n") == "4" and MORE not in ctl.metrics.note.text(), ctl.metrics.note.text()
