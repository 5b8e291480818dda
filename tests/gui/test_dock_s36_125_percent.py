"""The Annotate, Layers and Model docks on a 1366 x 768 laptop screen at 125 % display scale: the window is
1093 x 614 logical pixels (the offscreen tests run at scale 1, where the same logical size lays out alike).

Found on screenshots (QT_SCALE_FACTOR=1.25, --size 1093x614): with the Annotate tab raised above the Layers dock
every tool button was in view, but the Threshold slider was cut in half at the dock's foot and Mask opacity and
Outline only lay under it, reached only by scrolling (images and a video alike); with no model the Layers dock's
note wrapped on 4 lines and took the list's rows; in video mode the Model dock kept the metrics table, which
scores images against their labels and says nothing of a video, cut off at its foot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QSlider, QSpinBox, QWidget

from app.analysis.layer_list import EMPTY_TEXT, LOADING_EMPTY_TEXT, NO_MODEL_EMPTY_TEXT, RUNNING_EMPTY_TEXT
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import open_and_wait
from tests.gui.model_dock_helpers import in_view
from tests.gui.video_helpers import open_video

#: 1366 x 768 device pixels at QT_SCALE_FACTOR=1.25
LOGICAL_125 = (1093, 614)
#: the other sizes the column is laid out at (the dock-size tests' own): none may lose what it had
OTHER_SIZES = ((1024, 640), (1366, 768), (1920, 1080))


def _settle(qtbot, rounds: int = 3) -> None:  # noqa: ANN001
    for _ in range(rounds):
        for _ in range(8):
            QApplication.processEvents()
        qtbot.wait(30)


def _controls(body: QWidget) -> list[QWidget]:
    """The Annotate dock's controls: its tool and edit buttons, the radius box, the sliders, Outline only."""
    kinds = (QAbstractButton, QSlider, QSpinBox)
    return [w for w in body.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(body)]


def _annotate_raised(qtbot, window) -> QScrollArea:  # noqa: ANN001
    tools, layers = window.annotation.tool_dock, window.analysis.layer_dock
    layers.show()
    layers.raise_()
    tools.show()
    tools.raise_()
    _settle(qtbot)
    area = tools.widget()
    assert isinstance(area, QScrollArea)
    assert tools.isVisible() and layers.isVisible() and tools.geometry().bottom() < layers.y()
    return area


def _out_of_view(area: QScrollArea) -> list[tuple[str, int, int]]:
    """(name, top in the viewport, viewport height) of each control not shown whole, nothing scrolled."""
    assert area.verticalScrollBar().value() == 0
    out = []
    for control in _controls(area.widget()):
        if not in_view(control, area):
            top = control.mapTo(area.viewport(), control.rect().topLeft()).y()
            name = control.accessibleName() or control.objectName() or type(control).__name__
            out.append((name, top, area.viewport().height()))
    return out


def _layers_keep_rows(window) -> None:  # noqa: ANN001
    rows = window.analysis.layer_list.list
    row = rows.sizeHintForRow(0)
    shown = rows.viewport().height()
    assert shown >= 3 * row, (shown, row)  # a few rows
    if rows.verticalScrollBar().maximum() > 0:
        assert shown % row == 0, (shown, row)  # whole rows


def _images(tmp_path: Path, demo_dir: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_dir, folder)
    return folder


def test_dock_s36_annotate_controls_in_view_at_125_percent_images(qtbot, make_window, tmp_path: Path,
                                                                  demo_dir: Path) -> None:
    """The demo images, no model (the dock's status line and the Layers note at their longest)."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*LOGICAL_125)
    open_and_wait(qtbot, window, _images(tmp_path, demo_dir))
    area = _annotate_raised(qtbot, window)
    assert not _out_of_view(area)  # was: Threshold cut in half, Mask opacity and Outline only under the foot
    _layers_keep_rows(window)
    for size in OTHER_SIZES:  # the sizes the column was fitted at before
        window.resize(*size)
        _settle(qtbot)
        if size != (1024, 640):
            assert not _out_of_view(area), size
        _layers_keep_rows(window)


def test_dock_s36_annotate_controls_in_view_at_125_percent_video(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    window.resize(*LOGICAL_125)
    open_video(qtbot, window, write_clip(tmp_path / "hpwren-los-pinos-2019-10-06.mp4", frames=12, fps=12.0),
               tmp_path)
    _settle(qtbot)
    area = _annotate_raised(qtbot, window)
    assert not _out_of_view(area)  # was: Mask opacity at the foot, Outline only under it
    _layers_keep_rows(window)


@pytest.mark.parametrize("size", [LOGICAL_125, (1024, 640)])
def test_dock_s36_layers_note_without_a_model_on_two_lines(qtbot, make_window, tmp_path: Path, demo_dir: Path,
                                                           size: tuple[int, int]) -> None:
    """The note said where to open a model on 4 lines at 125 % (the list lost 2 rows to it)."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*size)
    open_and_wait(qtbot, window, _images(tmp_path, demo_dir))
    window.analysis.layer_dock.raise_()
    _settle(qtbot)
    note = window.analysis.layer_list.empty_note
    assert note.isVisible() and note.text() == NO_MODEL_EMPTY_TEXT
    assert "Open a model first" in note.text()  # what to do (Run on this image is off until one is open)
    lines = note.heightForWidth(note.width()) // note.fontMetrics().lineSpacing()
    assert lines <= 2, (lines, note.width(), note.text())


def test_dock_s36_layers_notes_of_an_image_on_two_lines(qtbot, make_window, tmp_path: Path, demo_dir: Path) -> None:
    """Each of the note's words while the image has no maps, in the Layers dock at 125 %: the model loading
    (3 lines: the list under moved up a line as the default model came in), ready, running."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*LOGICAL_125)
    open_and_wait(qtbot, window, _images(tmp_path, demo_dir))
    window.analysis.layer_dock.raise_()
    _settle(qtbot)
    note = window.analysis.layer_list.empty_note
    for text in (LOADING_EMPTY_TEXT, EMPTY_TEXT, RUNNING_EMPTY_TEXT):
        wrap = int(Qt.TextFlag.TextWordWrap.value)
        lines = note.fontMetrics().boundingRect(0, 0, note.width(), 10_000, wrap, text).height()
        lines //= note.fontMetrics().lineSpacing()
        assert lines <= 2, (lines, note.width(), text)


def test_dock_s36_model_dock_has_no_metrics_in_video_mode(qtbot, make_window, tmp_path: Path,
                                                           demo_dir: Path) -> None:
    """The metrics table scores images against their labels: with a video it only took the Model dock's room
    (cut off at its foot at 125 %). Put away with the video, back with the images."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*LOGICAL_125)
    open_and_wait(qtbot, window, _images(tmp_path, demo_dir))
    metrics = window.analysis.metrics
    window.analysis.model_dock.raise_()
    _settle(qtbot)
    assert metrics.isVisible()
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0), tmp_path)
    window.analysis.model_dock.raise_()
    _settle(qtbot)
    assert metrics.isHidden()
    area = window.analysis.model_dock.widget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().maximum() == 0  # the panel whole in view, nothing under its foot
    window.video.leave()  # back to the images: the table again
    window.analysis.model_dock.raise_()
    _settle(qtbot)
    assert metrics.isVisible()
