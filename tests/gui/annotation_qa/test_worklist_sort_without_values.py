"""The worklist sorted by Model uncertainty (or Error vs label, Smoke size) before any image had that
value (the model not run yet, a folder of photos without labels): the list stayed in the project's
order, as for Name, and nothing said why the sort did nothing. A note under the list says it now,
and goes once an image listed has the value."""

from __future__ import annotations

import numpy as np

from app.annotation.commands import record_prediction


def test_a_sort_no_image_has_a_value_for_says_so(qtbot, window) -> None:
    panel = window.annotation.worklist
    panel.sort.setCurrentIndex(panel.sort.findText("Model uncertainty"))
    assert panel.empty_note.isVisibleTo(panel)
    assert panel.empty_note.text().startswith("No image listed has a model uncertainty yet")
    panel.sort.setCurrentIndex(panel.sort.findText("Name"))
    assert not panel.empty_note.isVisibleTo(panel)
    panel.sort.setCurrentIndex(panel.sort.findText("Model uncertainty"))
    path = window.session.current_path
    record_prediction(window.annotation.controller.registry, path, np.full((512, 512), 0.4, np.float32), 0.5)
    panel.refresh()
    assert not panel.empty_note.isVisibleTo(panel)
