"""The modal-dialog guard of the GUI tests (`tests/gui/modal_guard.py`, wired in `tests/gui/conftest.py`):
a test that opens a modal dialog nobody answers (under offscreen Qt nobody can) fails with the dialog's
text, the dialog answered with its safest button, and the run goes on; a dialog opened at teardown by a
window's close (edits not saved: Retry / Discard / Cancel) is answered Cancel, never Discard; a test
that answers its own dialog from a timer is left alone. Run in a child pytest (its own process)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import ROOT
from tests.gui.modal_guard import ModalDialogGuard, answer

pytest_plugins = ["pytester"]

TESTS = '''
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

answers = []
kept = []


class AsksOnClose(QWidget):
    """A window whose close asks, as MainWindow's does with edits not saved."""

    def closeEvent(self, event):
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Warning, "Edits", "1 image has edits that are not saved.",
                          buttons.Retry | buttons.Discard | buttons.Cancel, self)
        box.setDefaultButton(buttons.Retry)
        answers.append(box.button(buttons(box.exec())).text().replace("&", ""))
        event.ignore()


def test_a_box_nobody_answers(qtbot):
    QTimer.singleShot(0, lambda: answers.append(QMessageBox.question(None, "Delete?", "Delete 3 masks?")))
    qtbot.waitUntil(lambda: bool(answers), timeout=60_000)


def test_the_run_goes_on():
    assert answers == [QMessageBox.StandardButton.No]  # the guard said No


def test_a_box_answered_by_its_test(qtbot):
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "Sure?", "Sure?", buttons.Yes | buttons.No)

    def click():
        assert QApplication.activeModalWidget() is box
        box.button(buttons.Yes).click()

    QTimer.singleShot(0, click)
    assert box.exec() == buttons.Yes


def test_a_window_whose_close_asks(qtbot):
    answers.clear()
    window = AsksOnClose()
    qtbot.addWidget(window)  # closed at teardown
    window.show()
    kept.append(window)  # (qtbot holds it weakly)


def test_the_close_was_cancelled():
    assert answers == ["Cancel"]
'''


@pytest.fixture
def child(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTEST_QT_API", "pyside6")
    pytester.makeconftest("from tests.gui.conftest import _modal_dialogs_answered, pytest_runtest_makereport"
                          "  # noqa: F401\n")
    pytester.makepyfile(test_dialogs=TESTS)
    return pytester


def test_a_dialog_nobody_answers_fails_its_test_and_the_run_goes_on(child: pytest.Pytester) -> None:
    result = child.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider", timeout=240)
    result.assert_outcomes(passed=4, failed=1, errors=1)
    result.stdout.fnmatch_lines([
        "*_ test_a_box_nobody_answers _*",
        "a modal dialog was left open in call, answered by tests/gui/modal_guard.py*",
        "  QMessageBox 'Delete?': 'Delete 3 masks?', buttons *'Yes', 'No'*; clicked 'No' by the guard",
    ])
    result.stdout.fnmatch_lines([
        "*ERROR at teardown of test_a_window_whose_close_asks*",
        "a modal dialog was left open in teardown*",
        "  QMessageBox 'Edits': '1 image has edits that are not saved.'*clicked 'Cancel' by the guard",
    ])
    assert "test_a_box_answered_by_its_test" not in result.stdout.str().split("short test summary")[1]


WINDOWS = """
from pathlib import Path

from fosp_core.annotation.recovery import log_path
from tests.gui.test_hostile_video_keyframe_full_disk import FullDisk, disk  # noqa: F401
from tests.gui.test_save_failure_reporting import _unsaved_edit, dataset, reporter, window  # noqa: F401

kept = {}


def test_fails_with_an_image_edit_not_saved(qtbot, window, monkeypatch):
    _unsaved_edit(window, monkeypatch)
    controller = window.annotation.controller
    kept["log"] = log_path(controller.project.mask_path(controller.document.image_id))
    raise AssertionError("the test fails")


def test_fails_with_video_json_not_saved(qtbot, make_window, tmp_path: Path, disk: FullDisk):
    disk.window.video.toggle_keyframe()
    raise AssertionError("the test fails")


def test_the_run_goes_on(qtbot, make_window):
    make_window(show=True)
    assert kept["log"].exists()  # Cancel, not Discard: the edit's recovery log is still there
"""


def test_the_windows_close_questions_at_teardown_are_cancelled(child: pytest.Pytester) -> None:
    """The app's own close paths: a test that fails with an image edit or a video.json not saved used to
    hang at teardown (the window's close asked Retry / Discard / Cancel offscreen)."""
    child.makeconftest(
        "from tests.conftest import _isolated_user_cache, demo_dir  # noqa: F401\n"
        "from tests.gui.conftest import (_garbage_collected_where_qt_holds_no_lock, _modal_dialogs_answered,"
        " make_window, pytest_runtest_makereport, settings_path)  # noqa: F401\n")
    child.makepyfile(test_windows=WINDOWS)
    result = child.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider", "test_windows.py", timeout=240)
    result.assert_outcomes(passed=1, failed=2, errors=2)
    result.stdout.fnmatch_lines([
        "*ERROR at teardown of test_fails_with_an_image_edit_not_saved*",
        "a modal dialog was left open in teardown*",
        "  QMessageBox 'FoSp Studio': *1 image has edits that are not saved (disk full)*"
        "buttons *'Retry', 'Cancel', 'Discard'*; clicked 'Cancel' by the guard",
        "*ERROR at teardown of test_fails_with_video_json_not_saved*",
        "a modal dialog was left open in teardown*",
        "  QMessageBox 'Video annotations': *video are not saved (cannot write: disk full)*clicked 'Cancel' by the guard",
    ])


def test_the_safest_answer_is_never_discard(qtbot) -> None:  # noqa: ANN001 - pytest-qt's fixture
    """No Escape button set: Cancel (reject role) before Retry, and never Discard; a single OK is OK."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Warning, "t", "x", buttons.Discard | buttons.Retry | buttons.Cancel)
    box.setEscapeButton(None)  # as a box made without one
    clicked: list[str] = []
    box.buttonClicked.connect(lambda b: clicked.append(b.text().replace("&", "")))
    assert answer(box) == "clicked 'Cancel'"
    escape_discards = QMessageBox(QMessageBox.Icon.Warning, "t", "x", buttons.Discard | buttons.Cancel)
    escape_discards.setEscapeButton(buttons.Discard)
    assert answer(escape_discards) == "clicked 'Cancel'"
    only_discard = QMessageBox(QMessageBox.Icon.Warning, "t", "x", buttons.Discard | buttons.Save)
    assert answer(only_discard) == "rejected (Cancel)"
    told = QMessageBox(QMessageBox.Icon.Information, "t", "x", buttons.Ok)
    assert answer(told) == "clicked 'OK'"
    assert clicked == ["Cancel"]


def test_a_dialog_open_fewer_ticks_than_its_sightings_is_left_alone(qtbot) -> None:  # noqa: ANN001
    guard = ModalDialogGuard(sightings=3)
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No)
    box.setModal(True)
    box.show()
    qtbot.waitUntil(lambda: box.isVisible())
    guard.tick()
    guard.tick()
    assert box.isVisible() and guard.take() == []
    guard.tick()
    assert not box.isVisible() and guard.take() == ["QMessageBox 't': 'x', buttons ['Yes', 'No']; clicked 'No' by "
                                                    "the guard"]
