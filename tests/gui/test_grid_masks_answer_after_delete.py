"""A huge image's grid mask is made on a worker (app.analysis.grid_masks); its answer is queued to the
GUI thread. When the grid went meanwhile (its `destroyed` closes the GridMasks), the queued answer still
ran `_show_masks` on the deleted panels: "Internal C++ object (ImageItem) already deleted", a teardown
error of tests/gui/test_grid_masks_off_gui_thread.py in a clean-clone CI run (not reproduced alone). An
answer that arrives after `close` is dropped."""

from __future__ import annotations

import numpy as np

from app.analysis.grid_masks import GridMasks, MaskPictures


def test_an_answer_queued_before_close_is_dropped(qtbot) -> None:
    shown: list[MaskPictures] = []
    masks = GridMasks(shown.append)
    probability = np.zeros((4, 4), np.float32)
    from fosp_core.infer.result import Prediction

    assert masks.request(Prediction(probability=probability), None, 0.5, "plain", (4, 4)) is False  # small: at once
    assert len(shown) == 1
    masks.lane.current += 1  # as a huge image's request: an answer awaited from the worker
    masks.pending = True
    answer = MaskPictures(None, None, None)
    masks.close()  # the grid is destroyed (CompareGrid connects destroyed to close)
    masks.ready.emit(masks.lane.current, answer)  # the worker's answer, queued before, delivered now
    qtbot.wait(10)
    assert len(shown) == 1  # dropped: the panels are gone
    assert not masks.pending
