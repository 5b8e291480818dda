"""R (Mark Reviewed) pressed right after Accept Prediction on a huge photo must act on the accepted image, as
on a small photo: "Steps land in the order they were asked for" (`app.annotation.accept_worker`).

On a reviewed image, Shift+A then R: the accept (its step prepared on the worker, landed later from the event
loop since d0677705) makes the image *predicted*, and R then marks the accepted mask reviewed. Before,
`toggle_reviewed` read the status before landing the pending accept: it saw *reviewed*, chose "take the review
off", landed the accept inside `editable`, and set *edited*: the annotator's review of the accepted mask was not
given (the status bar said "no longer reviewed")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.annotation import accept_worker
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import demo_window, key


@pytest.mark.parametrize("huge", [False, True], ids=["on_the_gui_thread", "on_the_worker"])
def test_review_rv_s34_r_after_accept_marks_the_accepted_mask_reviewed(qtbot, make_window, demo_dir: Path,
                                                                       tmp_path: Path, monkeypatch,
                                                                       huge: bool) -> None:
    if huge:
        monkeypatch.setattr(accept_worker, "BACKGROUND_PIXELS", 1)  # the demo photo takes the worker's path
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    probability = np.zeros(doc.mask.shape, np.float32)
    probability[50:150, 50:250] = 0.9
    controller.set_probability(window.session.current_path, probability)
    key(window, "R")
    assert doc.status == Status.REVIEWED
    key(window, "Shift+A", settle=False)
    assert controller.accepting.pending == huge
    key(window, "R")
    assert doc.status == Status.REVIEWED, "R after the accept marks the accepted mask reviewed"
    assert int(doc.mask[100, 100]) == 1
