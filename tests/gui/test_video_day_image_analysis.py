"""Video mode after working on images with the Model panel: the image's analysis (probability, τ
contour, ...) drawn over the video frame, and Ctrl+R running the model on the image put away behind
the video and drawing it there, misled about what the frame shows. In video mode the image's analysis
layers are put away and its run keys and buttons are off (Ctrl+Shift+R predicts the whole video);
back in image mode all is as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.gui.tiny_model import WAIT_MS, drawn_analysis_layers, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _press(window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    QTest.keyClick(QApplication.focusWidget() or window, key, modifiers)


def test_the_image_s_analysis_stays_out_of_video_mode(qtbot, make_window, tiny: Path, demo_dir: Path,
                                                      tmp_path: Path) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path / "projects")
    window.show()
    qtbot.waitExposed(window)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    before = drawn_analysis_layers(window)
    assert before  # the image's probability and τ contour

    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.mp4", frames=6)], remember=False)
    window.activateWindow()
    assert drawn_analysis_layers(window) == []  # nothing of the image over the frame
    runs: list[str] = []
    ctl.action_run.triggered.connect(lambda *_: runs.append("run"))
    ctl.action_run_all.triggered.connect(lambda *_: runs.append("run all"))
    _press(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    _press(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert runs == [] and drawn_analysis_layers(window) == []
    assert not window.video.panel.predict_all_button.isEnabled()  # Ctrl+Shift+R: "Predict whole video"
    assert not ctl.panel.run_button.isVisibleTo(window) and not ctl.panel.run_all_button.isVisibleTo(window)
    _press(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # a layer key: no image layer shows either
    assert drawn_analysis_layers(window) == []

    window.video.leave()  # back to the images: their analysis as it was
    assert drawn_analysis_layers(window) == before
    assert ctl.action_run.isVisible() and ctl.panel.run_button.isVisibleTo(window)
