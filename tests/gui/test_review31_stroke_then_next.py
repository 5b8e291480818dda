"""A stroke, then at once N (Next Unreviewed) or a look at the worklist, with no turn of the event loop
between them: the worklist's refreshes are coalesced to one per turn (`WorklistPanel.refresh_later`), so
this checks nothing reads its rows stale (review of this session's change)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import blank_demo_window, drag, key, settle_saves


def test_a_stroke_then_next_unreviewed_at_once(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel, controller = window.annotation.worklist, window.annotation.controller
    panel.filter.setCurrentIndex(panel.filter.findText("Dataset label only"))  # the demo's images have labels
    assert panel.filter.currentIndex() >= 0
    first = controller.document.image_id
    key(window, "B")
    qtbot.wait(30)
    drag(window, [(100, 100), (140, 120), (180, 140)], settle=False)
    assert panel.model.row_of(first) < 0  # read in the stroke's turn (refreshed first): no longer unlabeled, out of the list
    expected = worklist.next_unreviewed(panel.ordered(), first, step=1, statuses=(Status.UNLABELED,))
    key(window, "N", settle=False)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id != first, timeout=10000)
    assert controller.document.image_id == expected
    QApplication.processEvents()
    settle_saves(window)
    qtbot.wait(30)
    current = controller.document.image_id
    assert panel.list.currentIndex().row() == panel.model.row_of(current) >= 0
    assert panel.progress.format().endswith(f"of {len(panel.project.entries)} reviewed")

