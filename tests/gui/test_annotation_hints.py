"""What the annotation tools tell the user when they cannot act: the prediction tools (Accept
Prediction, Threshold to Mask, wand, threshold brush) before the model ran on the image, and the
Export dialog's error state once the user retries or edits the destination."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QStatusBar

from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import blank_demo_window, click, drag, key


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):
    return blank_demo_window(qtbot, make_window, demo_dir, tmp_path)


def _status(window) -> QStatusBar:  # noqa: ANN001 - a MainWindow
    return window.statusBar()


def _says_how_to_get_a_model(text: str) -> bool:
    """The hint of a window with no model (these tests' windows find no default one): how to get one, not the run
    key, which would only say to open one (test_words_s36_no_model: "run the model (Ctrl+R) first" before)."""
    return text.startswith("No prediction for this image yet") and "Analysis ▸ Open Checkpoint…" in text


def _load_tiny_model(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot, a MainWindow
    """A model in `window` (a tiny random one): the hint and the dock name the run key then."""
    from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint

    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors"))
    qtbot.waitUntil(lambda: ctl.model_state == "ready", timeout=WAIT_MS)


def test_the_prediction_tools_without_a_prediction_say_how_to_get_one(window) -> None:
    """Each in turn in one window (a window for each of four tests before), each leaving the mask alone:
    Shift+A before the model ran on the image did nothing and said nothing (the action was disabled, so its
    key was swallowed); it now says what to do. Threshold to Mask (no default key: the menu item) says so
    too. W / T were refused silently (disabled tools); choosing one now says a prediction is needed, and so
    does using it on the canvas."""
    controller = window.annotation.controller
    doc = controller.document
    _status(window).clearMessage()
    key(window, "Shift+A")
    assert _says_how_to_get_a_model(_status(window).currentMessage()), "Shift+A"
    assert not doc.mask.any() and not doc.can_undo, "Shift+A"
    _status(window).clearMessage()
    window.annotation.actions.threshold.trigger()
    assert _says_how_to_get_a_model(_status(window).currentMessage()), "Threshold to Mask"
    assert not doc.mask.any() and not doc.can_undo, "Threshold to Mask"
    for tool_key, tool in (("W", Tool.WAND), ("T", Tool.THRESHOLD_BRUSH)):
        _status(window).clearMessage()
        key(window, tool_key)
        assert controller.state.tool == tool, tool_key
        assert _says_how_to_get_a_model(_status(window).currentMessage()), f"{tool_key} chosen"
        _status(window).clearMessage()
        if tool == Tool.WAND:
            click(window, 150, 250)
        else:
            drag(window, [(240, 180), (240, 320)])
        assert _says_how_to_get_a_model(_status(window).currentMessage()), f"{tool_key} used on the canvas"
        assert not doc.mask.any() and not doc.can_undo, tool_key


def test_the_hint_names_the_run_key_in_force(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot
    """The hint reads the key from Analysis > Run on This Image, so a changed key is the one named (a model
    loaded: without one it names Open Checkpoint… instead)."""
    from PySide6.QtGui import QKeySequence

    _load_tiny_model(qtbot, window, tmp_path)
    window.analysis.action_run.setShortcut(QKeySequence("F5"))
    _status(window).clearMessage()
    key(window, "Shift+A")
    text = _status(window).currentMessage()
    assert text.startswith("No prediction for this image yet") and "F5" in text and "Ctrl+R" not in text


def test_the_prediction_tools_work_once_the_prediction_arrived(window) -> None:
    controller = window.annotation.controller
    doc = controller.document
    prob = np.zeros(doc.shape, np.float32)
    prob[200:300, 100:250] = 0.9
    controller.set_probability(window.session.current_path, prob)
    key(window, "W")
    assert "No prediction" not in _status(window).currentMessage()
    click(window, 150, 250)
    assert doc.mask[200:300, 100:250].all()
    key(window, "Shift+A")
    np.testing.assert_array_equal(doc.mask, (prob > 0.5).astype(np.uint8))


def test_the_prediction_tools_stay_off_without_an_annotation_project(qtbot, make_window, tmp_path: Path) -> None:
    """With nothing to edit the actions stay disabled (the hint is for an image that has a mask)."""
    win = make_window()
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    actions = win.annotation.actions
    for action in (actions.accept, actions.threshold, actions.tools[Tool.WAND], actions.tools[Tool.THRESHOLD_BRUSH]):
        assert not action.isEnabled()


def test_the_dock_status_line_names_the_run_key(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot
    text = window.annotation.tool_dock.status_label.text()
    assert "no prediction yet" in text and "Analysis ▸ Open Checkpoint…" in text and "Ctrl+R" not in text  # no model
    _load_tiny_model(qtbot, window, tmp_path)
    text = window.annotation.tool_dock.status_label.text()
    assert "no prediction yet" in text and "Ctrl+R" in text


# --- the Export dialog's error state -----------------------------------------------------------------
def _fail_once(qtbot, window, dst: Path):  # noqa: ANN001, ANN202 - qtbot fixture, an ExportDialog
    """An export to `dst` that failed (the folder is not empty): the dialog in its error state."""
    dst.mkdir(parents=True)
    (dst / "ImageSets").mkdir()  # an earlier export's (the user's own files: refused, Replace or not)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(dst))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.dst.styleSheet() and dialog.dst.toolTip() and dialog.error_label.isVisible()
    return dialog


def _in_error(dialog) -> bool:  # noqa: ANN001 - an ExportDialog
    return bool(dialog.dst.styleSheet() or dialog.dst.toolTip() or dialog.error_label.isVisible()
                or dialog.windowTitle().endswith("failed"))


def test_retrying_a_failed_export_clears_the_error_state(qtbot, window, tmp_path: Path) -> None:
    """The destination box kept its red border and the old reason as a tooltip while the retry ran,
    and after it succeeded."""
    dialog = _fail_once(qtbot, window, tmp_path / "out")
    dialog.overwrite.setChecked(True)
    dialog.start()
    assert dialog.worker is not None and not _in_error(dialog)  # while it runs
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert not _in_error(dialog) and dialog.error is None


def test_editing_the_destination_clears_the_error_state(qtbot, window, tmp_path: Path) -> None:
    dialog = _fail_once(qtbot, window, tmp_path / "out")
    dialog.dst.setText(str(tmp_path / "elsewhere"))
    assert not _in_error(dialog)
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    assert (tmp_path / "elsewhere").is_dir()


def test_a_retry_that_fails_again_shows_the_new_reason(qtbot, window, tmp_path: Path) -> None:
    dialog = _fail_once(qtbot, window, tmp_path / "out")
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("taken")
    dialog.dst.setText(str(other))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # the export's worker refuses it
    assert _in_error(dialog) and str(other) in dialog.error_label.text() and str(other) in dialog.dst.toolTip()


# --- Next / Previous Unreviewed ------------------------------------------------------------------------
def test_next_and_previous_unreviewed_say_they_keep_to_the_statuses_shown(window) -> None:
    """N / Shift+N step among the statuses the worklist shows (test_next_unreviewed_keeps_to_the_worklist_filter);
    Previous Unreviewed's tip and the README still spoke of any unreviewed image."""
    actions = window.annotation.actions
    for action in (actions.next_unreviewed, actions.previous_unreviewed):
        assert "among the statuses shown" in action.toolTip() and "among the statuses shown" in action.statusTip()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "previous unreviewed image among the statuses the worklist shows" in " ".join(readme.split())
