"""Model-assisted labelling, a day with the app (X2 QA, 100 SMOKE5K photos): Run on all cancelled
after 8 images said only "cancelled" in the Model panel; how far the run got and that Run on All
again runs only the images left was nowhere (the progress bar hides at once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.conftest import WindowFactory
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint


def test_a_cancelled_run_on_all_says_how_many_are_done_and_left(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    folder = copy_demo(demo_dir, tmp_path / "photos")
    window, ctl = ready_window(qtbot, make_window, checkpoint, [folder], tmp_path / "projects")
    total = len(window.session)
    assert total >= 3
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)
    assert started.wait(WAIT_MS / 1000)
    ctl.cancel()
    release.set()
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    text = ctl.panel.status_label.text()
    assert text == f"Cancelled after 1 of {total} images: Run on All Images runs the {total - 1} left", text
