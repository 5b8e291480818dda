"""The e2e tests are under the modal-dialog guard too (`tests/conftest.py`, `tests/gui/modal_guard.py`): an
e2e test that starts the GUI in-process (`make_window`, as `test_labeling_loop.py` does) and leaves a modal
dialog open fails with the dialog's text, and the run goes on, instead of hanging. The e2e-style tests run
in a child pytest with a time limit, so that this file cannot hang the suite when the guard is missing."""

from __future__ import annotations

import pytest

from tests.conftest import LEAN_CHILD, ROOT
from tests.gui.test_modal_guard import CHILD_GUARD_MS

pytest_plugins = ["pytester"]

E2E_STYLE = '''
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import make_window, settings_path  # noqa: F401 - the GUI fixtures, as in the e2e tests

answers = []


def test_the_gui_in_process_leaves_a_box_open(qtbot, make_window):
    window = make_window(show=True)
    QTimer.singleShot(0, lambda: answers.append(QMessageBox.question(window, "Delete?", "Delete 3 masks?")))
    qtbot.waitUntil(lambda: bool(answers), timeout=60_000)


def test_the_run_goes_on():
    assert answers == [QMessageBox.StandardButton.No]  # the guard said No
'''


def test_an_e2e_test_that_leaves_a_modal_dialog_open_fails_and_the_run_goes_on(pytester: pytest.Pytester,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The child loads the suite's own `tests/conftest.py` (the conftest every e2e test has) and nothing
    of tests/gui's: before the guard was wired there, the child hung until its time limit."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTEST_QT_API", "pyside6")
    monkeypatch.setenv("FOSP_TEST_MODAL_GUARD_MS", CHILD_GUARD_MS)  # its dialog answered in ~0.4 s, not ~2 s
    pytester.makepyfile(test_e2e_style=E2E_STYLE)
    result = pytester.runpytest_subprocess(*LEAN_CHILD, "-p", "tests.conftest", "-p", "no:xdist", "-p", "no:cacheprovider",
                                           timeout=180)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*_ test_the_gui_in_process_leaves_a_box_open _*",
        "a modal dialog was left open in call, answered by tests/gui/modal_guard.py*",
        "  QMessageBox 'Delete?': 'Delete 3 masks?', buttons *'Yes', 'No'*; clicked 'No' by the guard",
    ])


def test_an_e2e_gui_test_has_the_guard_running(qtbot, _modal_dialogs_answered) -> None:  # noqa: ANN001 - fixtures
    """In this very run: an e2e test that uses pytest-qt gets the guard (`tests/conftest.py`)."""
    assert _modal_dialogs_answered is not None and _modal_dialogs_answered.running()
