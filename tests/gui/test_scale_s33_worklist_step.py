"""Next Image re-sorted, re-filtered and re-counted every entry of the project, twice a step (the new
image's document arriving, and its probability lent by the analysis view, each asked the worklist for a
refresh): with SMOKE5K's 5 053 images, 2 x 5 053 sort keys and status lookups on the GUI thread for
every step, though a step changes no entry. Now a step keeps the rows and the stored counts and shows
only the current row and its live status anew (`WorklistPanel._stepped_later`).

The work is counted, not timed: the Python calls made inside the worklist's refreshes during one step,
in a project of 30 and of 300 photos (hard links of the demo's). Before, the 300 made at least 2 x 270
calls more (a sort key a row); now the same count, whatever the project's size.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.main_window import MainWindow
from tests.gui.annotation_helpers import drag, key, open_and_wait
from tests.gui.annotation_qa.helpers import wait_image
from tests.gui.linked_folder import linked_demo_folder

from .conftest import WindowFactory


def _step_work(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path, count: int,  # noqa: ANN001
               monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, dict[str, int]]:
    """A window on `count` photos at the first; the refreshes of the worklist and the Python calls made in
    them while Next Image opens the second."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / f"projects-{count}"
    open_and_wait(qtbot, window, linked_demo_folder(tmp_path / f"photos-{count}", demo_dir, count))
    qtbot.wait(50)  # the first image's refreshes done
    panel = window.annotation.worklist
    work = {"refreshes": 0, "calls": 0}
    real = panel.refresh

    def counted(*args: object, **kwargs: object) -> None:
        def profile(_frame, event: str, _arg) -> None:  # noqa: ANN001
            if event in ("call", "c_call"):
                work["calls"] += 1

        work["refreshes"] += 1
        sys.setprofile(profile)
        try:
            real(*args, **kwargs)
        finally:
            sys.setprofile(None)

    monkeypatch.setattr(panel, "refresh", counted)
    window.session.next()
    wait_image(qtbot, window, 1)
    qtbot.wait(50)  # the coalesced refreshes of the step run in the turns after it
    monkeypatch.setattr(panel, "refresh", real)
    return window, work


def test_a_step_does_no_work_per_image_in_the_worklist(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, small = _step_work(qtbot, make_window, demo_dir, tmp_path, 30, monkeypatch)
    window, big = _step_work(qtbot, make_window, demo_dir, tmp_path, 300, monkeypatch)
    assert small["refreshes"] >= 1 and big["refreshes"] >= 1  # the step was shown in the worklist
    per_refresh = big["calls"] / big["refreshes"] - small["calls"] / small["refreshes"]
    assert per_refresh < 50, f"{big['calls']} calls in {big['refreshes']} refreshes for 300 images, " \
                             f"{small['calls']} in {small['refreshes']} for 30"
    # and what it shows follows the step: the current row, the live status, the counts
    panel = window.annotation.worklist
    controller = window.annotation.controller
    assert panel.list.currentIndex().row() == panel.model.row_of(controller.document.image_id) >= 0
    key(window, "B")  # the brush
    drag(window, [(100, 100), (140, 120)])  # an edit: the entries change, every row counted again
    qtbot.wait(50)
    assert panel.counts.text().count("&nbsp;1&nbsp;") == 1  # 1 edited of 300
    assert panel.progress.format() == "0 of 300 reviewed"
    window.session.next()
    wait_image(qtbot, window, 2)
    qtbot.wait(50)
    assert panel.counts.text().count("&nbsp;1&nbsp;") == 1  # the edited one still counted after the step
    assert panel.list.currentIndex().row() == panel.model.row_of(controller.document.image_id) >= 0


def _unreviewed_calls(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                      count: int) -> int:
    """Python calls made by the second Next Unreviewed (N) on `count` photos (the first makes the order)."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / f"n-projects-{count}"
    open_and_wait(qtbot, window, linked_demo_folder(tmp_path / f"n-photos-{count}", demo_dir, count))
    panel = window.annotation.worklist
    assert panel.step_unreviewed(+1)
    wait_image(qtbot, window, 1)
    qtbot.wait(50)
    calls = [0]

    def profile(_frame, event: str, _arg) -> None:  # noqa: ANN001
        if event in ("call", "c_call"):
            calls[0] += 1

    sys.setprofile(profile)
    try:
        assert panel.step_unreviewed(+1)
    finally:
        sys.setprofile(None)
    wait_image(qtbot, window, 2)
    return calls[0]


def test_next_unreviewed_does_no_work_per_image(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                tmp_path: Path) -> None:
    """Next Unreviewed (N) sorted every entry by name (a sort key a call) and listed every id to find the
    current one at each press; now the name order and the places in it are kept while the entries are."""
    small = _unreviewed_calls(qtbot, make_window, demo_dir, tmp_path, 30)
    big = _unreviewed_calls(qtbot, make_window, demo_dir, tmp_path, 300)
    # the paths' parts differ a little (about 60 calls); 270 images more were 270 sort keys more at least
    assert big - small < 150, f"{big} calls for 300 images, {small} for 30"


def _stroke_refresh_calls(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                          count: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(refreshes, Python calls in them) for the second brush stroke on the first of `count` photos."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / f"s-projects-{count}"
    open_and_wait(qtbot, window, linked_demo_folder(tmp_path / f"s-photos-{count}", demo_dir, count))
    key(window, "B")
    drag(window, [(100, 100), (140, 120)])  # the first: unlabelled to edited
    qtbot.wait(50)
    panel = window.annotation.worklist
    work = [0, 0]
    real = panel.refresh

    def counted(*args: object, **kwargs: object) -> None:
        def profile(_frame, event: str, _arg) -> None:  # noqa: ANN001
            if event in ("call", "c_call"):
                work[1] += 1

        work[0] += 1
        sys.setprofile(profile)
        try:
            real(*args, **kwargs)
        finally:
            sys.setprofile(None)

    monkeypatch.setattr(panel, "refresh", counted)
    drag(window, [(200, 200), (240, 220)])
    qtbot.wait(50)
    monkeypatch.setattr(panel, "refresh", real)
    assert panel.counts.text().count("&nbsp;1&nbsp;") == 1  # 1 edited
    return work[0], work[1]


def test_a_strokes_refresh_does_no_python_work_per_image(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stroke does change an entry: its refresh looks at every entry again, but in C (the counts a
    `Counter` over the statuses, "All images" a copy of the list, the name order kept), not with a Python
    call an entry (a sort key, an append, a lookup of the live status: 3 x 300 before)."""
    small = _stroke_refresh_calls(qtbot, make_window, demo_dir, tmp_path, 30, monkeypatch)
    big = _stroke_refresh_calls(qtbot, make_window, demo_dir, tmp_path, 300, monkeypatch)
    assert small[0] >= 1 and big[0] >= 1
    per_refresh = big[1] / big[0] - small[1] / small[0]
    assert per_refresh < 50, f"{big} (refreshes, calls) for 300 images, {small} for 30"
