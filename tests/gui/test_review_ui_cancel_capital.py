"""Review as a user (R2, 100 SMOKE5K photos): a Run on all cancelled after a few images left the Model
panel saying "cancelled after 4 of 100 images: ..." in lower case, where every other line of the panel
starts with a capital ("Model ready (CPU) · …", "Cancelling…", "Run on All cancelled while it planned")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo
from tests.gui.conftest import WindowFactory
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint


def test_the_line_after_a_cancelled_run_starts_with_a_capital(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    folder = copy_demo(demo_dir, tmp_path / "photos")
    window, ctl = ready_window(qtbot, make_window, checkpoint, [folder], tmp_path / "projects")
    total = len(window.session)
    started, release = hold_first_image(ctl, monkeypatch)
    run_all(qtbot, ctl)
    assert started.wait(WAIT_MS / 1000)
    ctl.panel.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    text = ctl.panel.status_label.text()
    assert text == f"Cancelled after 1 of {total} images: Run on All Images runs the {total - 1} left", text
    assert not ctl.panel.cancel_button.isVisible() and not ctl.panel.progress.isVisible()
