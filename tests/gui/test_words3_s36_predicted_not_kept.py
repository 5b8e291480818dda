"""An image whose mask a model made (status *predicted*: pre-labelled, or its prediction accepted) and saved, reopened:
the Annotate dock said "predicted" and, right under it, "no prediction yet"; Shift+A, Shift+T, W and T said "No
prediction for this image yet: run the model (Ctrl+R) first". Both true (a saved mask keeps no prediction: the model has
to run again for the wand, the threshold brush and Accept Prediction), but read together a contradiction. They say
what is so now: the mask was made by a model, its prediction not kept, and what to do about it (as before)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import blank_demo_window, demo_project, key
from tests.gui.project_window import project_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

NOT_KEPT = "A model's mask, its prediction not kept"
HINT = f"{NOT_KEPT}: run the model (Ctrl+R) first"
DOCK = "a model's mask, its prediction not kept (Ctrl+R runs the model): the wand"


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """The demo copied to tmp, its project made with every image's mask saved as a model's (status predicted),
    closed, then opened again in a window with the tiny model ready (no run asked for)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    demo, location = demo_project(make_window(), demo_dir, tmp_path)
    project = Project.open(demo, location)
    try:
        for image_id in project.ids:
            mask = np.zeros(tuple(project.entry(image_id).size or (512, 512)), np.uint8)
            mask[100:200, 100:300] = 1
            project.save_mask(image_id, mask, Status.PREDICTED)
    finally:
        project.close()
    checkpoint = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: ctl.model_state == "ready", timeout=WAIT_MS)
    window.show()  # keys typed to the canvas
    qtbot.waitExposed(window)
    doc = window.annotation.controller.document
    assert doc.status is Status.PREDICTED and doc.probability is None  # saved by a model, not run in this window
    return window


def test_words3_s36_the_dock_does_not_say_no_prediction_under_predicted(qtbot, window) -> None:  # noqa: ANN001
    status = window.annotation.tool_dock.status_label
    qtbot.waitUntil(lambda: "Ctrl+R" in status.text(), timeout=5000)  # the model's line, said as it came
    text = status.text()
    assert ": predicted<br>" in text, text
    assert "no prediction yet" not in text, text
    assert DOCK in text, text


def test_words3_s36_the_prediction_tools_say_the_mask_is_a_models(window) -> None:  # noqa: ANN001
    """Each key in turn in one window (its project, tiny model and window were made for each of four tests
    before: ~1.3 s of setup each in the suite's durations on a loaded machine)."""
    bar = window.statusBar()
    for keys in ("Shift+A", "Shift+T", "W", "T"):
        bar.clearMessage()
        key(window, keys)
        assert bar.currentMessage() == HINT, (keys, bar.currentMessage())
        assert window.annotation.controller.document.status is Status.PREDICTED, keys  # the mask left alone


def test_words3_s36_the_hint_is_read_whole_in_a_1024_px_window(qtbot, window) -> None:  # noqa: ANN001
    """Longer than "No prediction for this image yet: …", it still fits a 1024 px window's status bar (with the
    pixel readout shown), as test_words_s36_no_model checks of the words without a model."""
    from PySide6.QtGui import QFontMetrics

    from tests.gui.test_status_message_room import _message_room

    window.resize(1024, 640)
    window.canvas.hovered.emit(20, 30)  # the mouse over the image: the pixel readout shown
    key(window, "Shift+A")
    qtbot.wait(20)
    bar = window.statusBar()
    assert bar.currentMessage() == HINT
    need = QFontMetrics(bar.font()).horizontalAdvance(HINT)
    assert _message_room(window) >= need, (_message_room(window), need)


def test_words3_s36_without_a_model_it_says_how_to_get_one_read_whole_at_1024_px(qtbot, make_window, demo_dir: Path,
                                                                                   tmp_path: Path) -> None:  # noqa: ANN001
    """With no model (none found), the dock and the hint of a model's mask say how to get one (as
    test_words_s36_no_model checks of an unlabelled image); the longer hint still fits a 1024 px window's status bar."""
    from PySide6.QtGui import QFontMetrics

    from tests.gui.test_status_message_room import _message_room

    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    assert window.analysis.model_state == "none"
    window.annotation.controller.document.set_status(Status.PREDICTED)  # as Accept Prediction leaves it
    expected = f"{NOT_KEPT}: no model loaded, no default model found (Analysis ▸ Open Checkpoint…)"
    qtbot.waitUntil(lambda: "a model's mask, its prediction not kept, no model loaded (Analysis ▸ Open Checkpoint…)"
                    in window.annotation.tool_dock.status_label.text(), timeout=5000)
    window.resize(1024, 640)
    window.canvas.hovered.emit(20, 30)  # the mouse over the image: the pixel readout shown
    key(window, "Shift+A")
    qtbot.wait(20)
    bar = window.statusBar()
    assert bar.currentMessage() == expected
    need = QFontMetrics(bar.font()).horizontalAdvance(expected)
    assert _message_room(window) >= need, (_message_room(window), need)
