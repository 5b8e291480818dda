"""An annotator's day (bench/bench_annotator_day.py): the view's actions repeated all day (analysis
layers shown, hidden and re-weighted, the mask's opacity, zoom, pan, a theme switch, images changed
and run) leave the window's Qt objects, the canvas's scene items and the threads as they were after
the first round (counts, not times)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.theme import current_theme
from tests.gui import theme_helpers
from tests.gui.annotation_helpers import copy_demo, drag
from tests.gui.tiny_model import WAIT_MS, ready_window

restore_theme = theme_helpers.restore_theme  # the theme switched here is put back for the next tests


def _counts(qtbot, window) -> tuple[int, int, int]:  # noqa: ANN001
    window.annotation.controller.open_documents.flush()
    qtbot.wait(100)  # a running loop: deferred deletions done
    QApplication.sendPostedEvents(None, 0)
    return (len(window.findChildren(QObject)), len(window.canvas.scene().items()), threading.active_count())


def test_view_actions_all_day_leave_counts_flat(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                 tiny_checkpoint: Path, restore_theme) -> None:  # noqa: ANN001
    window, ctl = ready_window(qtbot, make_window, tiny_checkpoint, [copy_demo(demo_dir, tmp_path / "demo")],
                               projects_root=tmp_path / "projects")
    window.show()
    controller, layers = window.annotation.controller, window.analysis.layers
    rows = []
    for round_ in range(4):
        for index in range(4):
            window.session.set_current(index)
            qtbot.waitUntil(lambda: controller.document is not None
                            and controller.image_path == window.session.current_path, timeout=WAIT_MS)
            request = ctl.run_current()
            if request is not None:
                qtbot.waitUntil(lambda request=request: request not in ctl._runs, timeout=WAIT_MS)
            for name in layers.names:
                layers.toggle(name)
                layers.set_opacity(name, 0.3 + 0.1 * index)
                layers.toggle(name)
            window.annotation.tool_dock.opacity.setValue(40 + 10 * index)
            window.annotation.actions.toggle_mask.trigger()
            window.annotation.actions.toggle_mask.trigger()
            for action in (window.action_zoom_in, window.action_zoom_in, window.action_zoom_out, window.action_fit):
                action.trigger()
            for action in window.pan_actions:
                action.trigger()
            h, w = controller.document.shape
            drag(window, [(w * 0.5, h * 0.5), (w * 0.4, h * 0.45)], settle=False)  # the navigate tool: a pan
        if round_ == 1:
            window.theme_choice.choose("light" if current_theme().name == "dark" else "dark", keep=False)
        rows.append(_counts(qtbot, window))
    assert rows[1] == rows[2] == rows[3], rows
