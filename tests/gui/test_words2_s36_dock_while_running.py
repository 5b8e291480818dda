"""The Annotate dock said "no prediction yet (Ctrl+R runs the model)" while the model was already running on the
image shown (Ctrl+R pressed a moment before): it told the annotator to start what was running, as the prediction
tools' hint did before session 34. The analysis controller now says when a run of the image shown starts and ends
(``running_changed``); the dock says the model is running on it, and names Ctrl+R again when nothing runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import copy_demo, key
from tests.gui.tiny_model import WAIT_MS, hold_first_image, ready_window, save_tiny_checkpoint


def test_words2_s36_the_dock_says_the_model_runs_on_the_image_shown(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    checkpoint = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = ready_window(qtbot, lambda: make_window(show=True), checkpoint, [demo],
                               projects_root=tmp_path / "projects")
    controller, label = window.annotation.controller, window.annotation.tool_dock.status_label
    qtbot.waitUntil(lambda: controller.document is not None, timeout=WAIT_MS)
    assert "(Ctrl+R runs the model)" in label.text(), label.text()  # nothing runs: the key to run it

    started, release = hold_first_image(ctl, monkeypatch)
    try:
        key(window, "Ctrl+R")
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: "running on it" in label.text(), timeout=WAIT_MS)
        assert "Ctrl+R" not in label.text(), f"told to run the model while it runs: {label.text()!r}"
        assert "no prediction yet" in label.text()
    finally:
        release.set()
    qtbot.waitUntil(lambda: controller.document.probability is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "no prediction yet" not in label.text(), timeout=WAIT_MS)
    assert "running on it" not in label.text()
