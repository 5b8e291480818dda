"""The worklist sorted, filtered and counted every image of the project 3-4 times for one stroke, one
review or one step to the next image (the controller's state_changed, document_changed and mask_saved
each refreshed it, some twice): on a big folder each is a sort of every entry on the GUI thread. The
panel coalesces them: one refresh per event-loop turn (`WorklistPanel.refresh_later`), and what it shows
is the same once the turn is over."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import blank_demo_window, drag, key, settle_saves
from tests.gui.annotation_qa.helpers import wait_image


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item for each refresh of the worklist (each counts the statuses of every image once)."""
    calls: list[int] = []
    counts = worklist.status_counts

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return counts(*args, **kwargs)

    monkeypatch.setattr(worklist, "status_counts", spy)
    return calls


def _turn(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    settle_saves(window)
    qtbot.wait(30)  # the event-loop turns after the event: a coalesced refresh runs there


def test_one_refresh_for_a_stroke_a_review_and_a_next(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    panel, actions = window.annotation.worklist, window.annotation.actions
    first = window.annotation.controller.document.image_id
    key(window, "B")
    _turn(qtbot, window)
    calls = _spy(monkeypatch)

    drag(window, [(100, 100), (140, 120), (180, 140)])
    _turn(qtbot, window)
    assert len(calls) == 1, f"{len(calls)} refreshes for one stroke"
    assert panel.status_of(first) == Status.EDITED

    calls.clear()
    actions.mark_reviewed.trigger()
    _turn(qtbot, window)
    assert len(calls) == 1, f"{len(calls)} refreshes for one review"
    assert panel.status_of(first) == Status.REVIEWED
    assert panel.progress.format() == f"1 of {len(panel.project.entries)} reviewed"

    calls.clear()
    actions.next_unreviewed.trigger()
    wait_image(qtbot, window, 1)
    _turn(qtbot, window)
    # a step changes no entry: the rows and the stored counts are kept, not counted again (session 33, P:
    # tests/gui/test_scale_s33_worklist_step.py); the current row and the counts still follow it (below)
    assert len(calls) == 0, f"{len(calls)} refreshes of every entry for one step to the next image"
    assert panel.progress.format() == f"1 of {len(panel.project.entries)} reviewed"
    current = window.annotation.controller.document.image_id
    assert panel.list.currentIndex().row() == panel.model.row_of(current) >= 0
