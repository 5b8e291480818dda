"""A brush stroke (or any edit) on a reviewed image takes its review off - it is *edited* again, to be
reviewed anew, out of a reviewed-only export - but nothing said so: the status bar kept showing
"<image>: reviewed" from the R pressed a moment before (found in the s34 working-day review: R, a last
touch with the brush, N; the worklist counted one reviewed less). The edit now says it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window, drag, key


def _smoke(window) -> None:  # noqa: ANN001
    doc = window.annotation.controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[100:140, 100:160] = 1
    doc.replace_mask(mask)


def test_a_stroke_on_a_reviewed_image_says_the_review_is_off(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    _smoke(window)
    key(window, "R")
    assert controller.document.status == Status.REVIEWED
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(300, 300), (340, 320)])
    assert controller.document.status == Status.EDITED
    said = window.statusBar().currentMessage()
    assert "no longer reviewed" in said, f"the review went with the stroke, the status bar said {said!r}"


def test_a_stroke_on_an_edited_image_says_nothing_of_a_review(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    _smoke(window)
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(300, 300), (340, 320)])
    assert controller.document.status == Status.EDITED
    assert "reviewed" not in window.statusBar().currentMessage()
