"""The modal-dialog guard of the GUI tests (`tests/gui/modal_guard.py`, wired in `tests/conftest.py`):
a test that opens a modal dialog nobody answers (under offscreen Qt nobody can) fails with the dialog's
text, the dialog answered with its safest button, and the run goes on; a dialog opened at teardown by a
window's close (edits not saved: Retry / Discard / Cancel) is answered Cancel, never Discard, and the
window is then closed for real (its project's lock released, the recovery log kept); a test that
answers its own dialog from a timer, or once a worker is done however long that takes, is left alone.
Run in a child pytest (its own process)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import LEAN_CHILD, ROOT
from tests.gui.modal_guard import ModalDialogGuard, ProcessActivity, answer

pytest_plugins = ["pytester"]
CHILD_GUARD_MS = "100"
"""The child's guard ticks every 100 ms (`modal_guard.INTERVAL_MS`; the suite's: 500): its four unanswered dialogs
and its worker's wait took ~10 of the test's ~13 s (session 36's durations) at 500."""

TESTS = '''
import threading
import time

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


def test_a_box_answered_by_its_test_once_a_worker_is_done(qtbot):
    """The test answers once a worker thread is done: computing for twice the guard's idle ticks (as a
    short job takes on a loaded machine); the guard leaves the box alone while the process works."""
    from tests.gui.modal_guard import INTERVAL_MS, SIGHTINGS

    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "Sure?", "Sure?", buttons.Yes | buttons.No)
    done = threading.Event()

    def work():
        end = time.monotonic() + 2 * SIGHTINGS * INTERVAL_MS / 1000
        while time.monotonic() < end:
            sum(range(1000))
        done.set()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: done.is_set() and box.isVisible() and box.button(buttons.Yes).click())
    threading.Thread(target=work).start()
    poll.start()
    assert box.exec() == buttons.Yes
    poll.stop()


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
    monkeypatch.setenv("FOSP_TEST_MODAL_GUARD_MS", CHILD_GUARD_MS)
    pytester.makeconftest("from tests.conftest import (_modal_dialogs_answered, pytest_runtest_makereport,"
                          " pytest_runtest_teardown)  # noqa: F401\n")
    pytester.makepyfile(test_dialogs=TESTS)
    return pytester


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
    kept["project"] = controller.project
    raise AssertionError("the test fails")


def test_fails_with_video_json_not_saved(qtbot, make_window, tmp_path: Path, disk: FullDisk):
    disk.window.video.toggle_keyframe()
    raise AssertionError("the test fails")


def test_the_run_goes_on(qtbot, make_window):
    make_window(show=True)
    assert kept["log"].exists()  # Cancel, not Discard: the edit's recovery log is still there
    assert kept["project"].lock is None  # and yet the window closed for real: its project's lock released
"""


def test_dialogs_nobody_answers_fail_their_tests_and_the_windows_close_questions_are_cancelled(
        child: pytest.Pytester) -> None:
    """One child run (a child pytest's start is most of its time) of two files: test_dialogs.py (a box
    nobody answers fails its test, the run goes on, a box its test answers is left alone) and
    test_windows.py, the app's own close paths: a test that fails with an image edit or a video.json not
    saved used to hang at teardown (the window's close asked Retry / Discard / Cancel offscreen)."""
    child.makeconftest(
        "from tests.conftest import (_isolated_user_cache, _modal_dialogs_answered, demo_dir,"
        " pytest_runtest_makereport, pytest_runtest_teardown)  # noqa: F401\n"
        "from tests.gui.conftest import (_garbage_collected_where_qt_holds_no_lock, make_window,"
        " settings_path)  # noqa: F401\n")
    child.makepyfile(test_windows=WINDOWS)
    result = child.runpytest_subprocess(*LEAN_CHILD, "-p", "no:xdist", "-p", "no:cacheprovider", "test_dialogs.py",
                                        "test_windows.py", timeout=240)
    out = result.stdout.str()
    # test_dialogs.py: passed=5, failed=1, errors=1; test_windows.py: passed=1, failed=2, errors=2
    result.assert_outcomes(passed=6, failed=3, errors=3)
    summary = sorted(line for line in out.split("short test summary")[1].splitlines()
                     if line.startswith(("FAILED", "ERROR")))
    assert [line.split(" - ")[0] for line in summary] == [
        "ERROR test_dialogs.py::test_a_window_whose_close_asks",
        "ERROR test_windows.py::test_fails_with_an_image_edit_not_saved",
        "ERROR test_windows.py::test_fails_with_video_json_not_saved",
        "FAILED test_dialogs.py::test_a_box_nobody_answers",
        "FAILED test_windows.py::test_fails_with_an_image_edit_not_saved",
        "FAILED test_windows.py::test_fails_with_video_json_not_saved"], summary
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
    result.stdout.fnmatch_lines(["  AsksOnClose '': hidden (it cannot be closed) by the guard, nothing discarded"])
    assert "test_a_box_answered_by_its_test" not in out.split("short test summary")[1]

    result.stdout.fnmatch_lines([
        "*ERROR at teardown of test_fails_with_an_image_edit_not_saved*",
        "a modal dialog was left open in teardown*",
        "  QMessageBox 'FoSp Studio': *1 image has edits that are not saved (disk full)*"
        "buttons *'Retry', 'Cancel', 'Discard'*; clicked 'Cancel' by the guard",
        "*ERROR at teardown of test_fails_with_video_json_not_saved*",
        "a modal dialog was left open in teardown*",
        "  QMessageBox 'Video annotations': *video are not saved (cannot write: disk full)*clicked 'Cancel' by the guard",
    ])
    result.stdout.fnmatch_lines(["  MainWindow *: closed for real by the guard, nothing discarded"] * 2)


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


class _Process:
    """A stand-in for `ProcessActivity` and the clock: each tick says whether the process was busy, and when."""

    def __init__(self) -> None:
        self.now, self.working = 0.0, False

    def busy(self, elapsed_s: float) -> bool:
        return self.working

    def clock(self) -> float:
        return self.now


def _open_box(qtbot) -> QMessageBox:  # noqa: ANN001 - pytest-qt's fixture
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No)
    box.setModal(True)
    box.show()
    qtbot.waitUntil(lambda: box.isVisible())
    return box


def _ticks(guard: ModalDialogGuard, process: _Process, n: int, every_s: float = 0.5) -> None:
    for _ in range(n):
        process.now += every_s
        guard.tick()


ANSWERED = ["QMessageBox 't': 'x', buttons ['Yes', 'No']; clicked 'No' by the guard"]


def test_a_dialog_open_fewer_idle_ticks_than_its_sightings_is_left_alone(qtbot) -> None:  # noqa: ANN001
    process = _Process()
    guard = ModalDialogGuard(sightings=3, activity=process, clock=process.clock)  # type: ignore[arg-type]
    box = _open_box(qtbot)
    _ticks(guard, process, 2)
    assert box.isVisible() and guard.take() == []
    _ticks(guard, process, 1)
    assert not box.isVisible() and guard.take() == ANSWERED


def test_ticks_while_the_process_works_or_starves_do_not_count(qtbot) -> None:  # noqa: ANN001
    """A worker computing what the test waits for (or waiting for a core: `ProcessActivity` counts both),
    and a late tick (the process starved), leave the dialog alone however long; idle ticks add up."""
    process = _Process()
    guard = ModalDialogGuard(sightings=3, max_open_s=60, activity=process, clock=process.clock)  # type: ignore[arg-type]
    box = _open_box(qtbot)
    _ticks(guard, process, 2)  # 2 idle
    process.working = True
    _ticks(guard, process, 40)  # 20 s of work
    process.working = False
    _ticks(guard, process, 5, every_s=2.0)  # late: starved
    assert box.isVisible() and guard.take() == []
    _ticks(guard, process, 1)
    assert not box.isVisible() and guard.take() == ANSWERED


def test_a_dialog_open_past_max_open_s_is_answered_while_the_process_works(qtbot) -> None:  # noqa: ANN001
    """A thread that spins for ever does not make a real hang last longer than `max_open_s`."""
    process = _Process()
    process.working = True
    guard = ModalDialogGuard(sightings=3, max_open_s=30, activity=process, clock=process.clock)  # type: ignore[arg-type]
    box = _open_box(qtbot)
    _ticks(guard, process, 60)  # seen open for 29.5 s
    assert box.isVisible() and guard.take() == []
    _ticks(guard, process, 1)
    assert not box.isVisible() and guard.take() == ANSWERED


def test_a_thread_that_computes_makes_the_process_busy() -> None:
    """While it runs (or waits for a core), and once it has ended."""
    activity, stop = ProcessActivity(), threading.Event()
    start = time.monotonic()

    def compute() -> None:
        while not stop.is_set():
            sum(range(1000))

    spin = threading.Thread(target=compute)
    spin.start()
    try:
        time.sleep(0.5)
        assert activity.busy(time.monotonic() - start)
    finally:
        stop.set()
        spin.join()
    activity.wanted_s()
    used: list[float] = []

    def compute_and_end() -> None:
        for _ in range(2000):
            sum(range(1000))
        used.append(time.thread_time())  # this thread's CPU seconds

    ended = threading.Thread(target=compute_and_end)
    ended.start()
    ended.join()
    assert activity.wanted_s() >= used[0] > 0
