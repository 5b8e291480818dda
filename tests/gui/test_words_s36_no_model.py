"""With NO model loaded, what the window said to do about a missing prediction could not work: the prediction tools'
hint "No prediction for this image yet: run the model (Ctrl+R) first", the Annotate dock's "no prediction yet (Ctrl+R
runs the model)" and Export View's keys "Export View needs a result: run the model (Ctrl+R) first"; Ctrl+R then only
says to open a checkpoint. Each names how to get a model now (Analysis ▸ Open Checkpoint…, and that no default model
was found where none was), and says the words as before once one is loaded (the dock as the model comes)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.annotation_helpers import blank_demo_window, key
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint

NO_MODEL_HINT = ("No prediction for this image yet: no model loaded, no default model found "
                 "(Analysis ▸ Open Checkpoint…)")


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201 - qtbot, a MainWindow
    """The demo's first image, blank, in a window that found no default model (none loaded)."""
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    assert window.services.default_model is None and window.analysis.model_state == "none"
    return window


def test_words_s36_the_prediction_hint_without_a_model_says_how_to_get_one(window) -> None:  # noqa: ANN001
    bar = window.statusBar()
    bar.clearMessage()
    key(window, "Shift+A")  # Accept Prediction, no prediction
    assert bar.currentMessage() == NO_MODEL_HINT
    bar.clearMessage()
    key(window, "W")  # the wand
    assert bar.currentMessage() == NO_MODEL_HINT


def test_words_s36_the_dock_says_how_to_get_a_model_then_the_run_key_once_one_is_loaded(
        qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot, a MainWindow
    status = window.annotation.tool_dock.status_label
    assert "no prediction yet, no model loaded (Analysis ▸ Open Checkpoint…): the wand" in status.text(), status.text()
    assert "Ctrl+R" not in status.text()

    checkpoint = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    qtbot.waitUntil(lambda: ctl.model_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Ctrl+R runs the model" in status.text(), timeout=5000)  # said again as it came
    assert "no model loaded" not in status.text()
    assert window.annotation.controller.document.probability is None  # no run asked for: no prediction yet
    window.statusBar().clearMessage()
    key(window, "Shift+A")
    assert window.statusBar().currentMessage() == "No prediction for this image yet: run the model (Ctrl+R) first"


def test_words_s36_the_export_view_key_without_a_model_says_how_to_get_one(qtbot, window) -> None:  # noqa: ANN001
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.canvas.setFocus()
    assert not window.analysis.action_export_view.isEnabled()
    QTest.keyClick(window.canvas, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == ("Export View needs a result: no model loaded, no default model "
                                                   "found (Analysis ▸ Open Checkpoint…)")


def test_words_s36_a_default_model_that_did_not_load_is_not_said_missing() -> None:
    """Where the app has a default model (its load failed, or another was closed), only "no model loaded" is said."""
    from app.annotation.prediction_hint import no_model_words

    with_default = SimpleNamespace(services=SimpleNamespace(default_model=Path("fosp-default.safetensors")))
    assert no_model_words(with_default) == "no model loaded (Analysis ▸ Open Checkpoint…)"
    assert no_model_words(SimpleNamespace(services=SimpleNamespace(default_model=None))) == (
        "no model loaded, no default model found (Analysis ▸ Open Checkpoint…)")


def test_words_s36_the_no_model_hint_is_read_whole_in_a_1024_px_window(qtbot, window) -> None:  # noqa: ANN001
    """Longer than the words with a model, the hint still fits a 1024 px window's status bar (with the readouts)."""
    from PySide6.QtGui import QFontMetrics

    from tests.gui.test_status_message_room import _message_room

    window.resize(1024, 640)
    window.canvas.hovered.emit(20, 30)  # the mouse over the image: the pixel readout shown
    key(window, "Shift+A")
    qtbot.wait(20)
    bar = window.statusBar()
    assert bar.currentMessage() == NO_MODEL_HINT
    need = QFontMetrics(bar.font()).horizontalAdvance(NO_MODEL_HINT)
    assert _message_room(window) >= need, (_message_room(window), need)
