"""N / Shift+N (Next / Previous Unreviewed) and the Images list's name filter (Ctrl+F), on a copy of the demo
(s36 working-day review, R1): an annotator who filters by name ("Fire") to review those images pressed N and was
taken to images the filter hides, as if there were no filter. N keeps to the name filter as it keeps to the
worklist's Show (labelme and X-AnyLabeling: the file list's search box is what Next/Previous walk; PgDown/PgUp kept
to it already), and says so when nothing is left within it. Also: N pressed twice before the next image's mask
had loaded stepped from nowhere (no document shown yet): from the first image N N went back to it.

Demo (name order): 0 West, 1 BrattonFire, 2 inside-Mexico, 3 ValleyFire; "Fire" lists 1 and 3.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.annotation.worklist_words import WENT_ROUND
from tests.gui.annotation_helpers import demo_window, key
from tests.gui.annotation_qa.helpers import wait_image


def _said(window) -> str:  # noqa: ANN001
    return window.statusBar().currentMessage()


def _filter_by_name(qtbot, window, text: str) -> None:  # noqa: ANN001
    """Ctrl+F, type `text`, Enter: as a user (the first listed image is shown when the filter hides the current)."""
    panel = window.images_panel
    panel.focus_filter()
    QTest.keyClicks(panel.filter_edit, text)
    QTest.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.filter == text)


def test_n_and_shift_n_keep_to_the_name_filter(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    _filter_by_name(qtbot, window, "Fire")
    wait_image(qtbot, window, 1)  # the filter hid image 0: the first listed one is shown
    key(window, "PgDown")  # PgDown walks the Images list as filtered
    wait_image(qtbot, window, 3)
    key(window, "PgUp")
    wait_image(qtbot, window, 1)
    key(window, "N")
    wait_image(qtbot, window, 3)  # not 2 (inside-Mexico), which the filter hides
    key(window, "N")
    wait_image(qtbot, window, 1)  # round, within the filter: not 0 (West)
    assert _said(window) == WENT_ROUND[1]
    key(window, "Shift+N")
    wait_image(qtbot, window, 3)
    assert _said(window) == WENT_ROUND[-1]  # from the first listed image back round to the last listed one


def test_n_says_nothing_is_left_within_the_name_filter(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    _filter_by_name(qtbot, window, "Fire")
    wait_image(qtbot, window, 1)
    key(window, "R")
    key(window, "N")
    wait_image(qtbot, window, 3)
    key(window, "R")
    key(window, "N")  # both Fire images reviewed; West and inside-Mexico are not, but hidden
    assert controller.image_path == window.session.paths[3]  # stays
    said = _said(window)
    assert "among those shown" in said and '"Fire"' in said, said
    assert "clear" in said.lower(), said  # how to go on with the others
    window.session.set_filter("")
    key(window, "N")
    wait_image(qtbot, window, 0)  # the others count again


def test_n_pressed_twice_before_the_mask_loads_steps_twice(qtbot, make_window, demo_dir: Path,
                                                         tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "N", settle=False)
    key(window, "N", settle=False)  # before image 1's document is shown
    wait_image(qtbot, window, 2)
    key(window, "N", settle=False)
    key(window, "N", settle=False)  # 3, then round to 0
    wait_image(qtbot, window, 0)
    assert _said(window) == WENT_ROUND[1]


def test_n_pressed_twice_in_the_second_folder_stays_in_it(qtbot, make_window, demo_dir: Path,
                                                          tmp_path: Path) -> None:
    """Two folders opened together: N twice on the second folder's images, the second press before the mask
    loaded, went by the first folder's worklist (the worklist's project, no document shown, was the first open)."""
    import shutil

    from tests.gui.annotation_helpers import copy_demo

    first = copy_demo(demo_dir, tmp_path / "first")
    other = tmp_path / "other"
    other.mkdir()
    for path in sorted((first / "JPEGImages").iterdir())[:3]:
        shutil.copy(path, other / f"other_{path.name}")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([first, other], remember=False)
    wait_image(qtbot, window, 0)
    assert len(window.session) == 7
    window.session.set_current(4)  # the second folder's first image
    wait_image(qtbot, window, 4)
    key(window, "N", settle=False)
    key(window, "N", settle=False)
    wait_image(qtbot, window, 6)
