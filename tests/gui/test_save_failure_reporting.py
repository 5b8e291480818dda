"""What the annotator sees while saves fail (a full disk): the first failure is told once, in one
message with the file, the reason, what is kept and what to do; every later failed autosave (one per
stroke) only updates the status bar's count of images not saved, and the message while it is open.
Closing the window while edits are not saved asks Retry / Discard / Cancel.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.annotation.controller import RECENT_DOCUMENTS
from app.annotation.save_status import CloseChoice
from app.services import CollectingErrorReporter, DialogErrorReporter
from fosp_core.annotation.recovery import log_path
from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


@pytest.fixture()
def reporter() -> CollectingErrorReporter:
    return CollectingErrorReporter()


@pytest.fixture()
def dataset(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path / "demo")


def _open(qtbot, make_window, reporter, folder: Path, tmp_path: Path):  # noqa: ANN001, ANN202 - fixtures
    win = make_window(error_reporter=reporter, show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, folder)
    return win


@pytest.fixture()
def window(qtbot, make_window, reporter, dataset: Path, tmp_path: Path):
    return _open(qtbot, make_window, reporter, dataset, tmp_path)


def _disk_full(monkeypatch, window) -> Faults:  # noqa: ANN001 - fixture, window
    """Every mask write of the window's project fails with ENOSPC (until `clear`)."""
    faults = Faults(monkeypatch)
    for entry in window.annotation.controller.project.entries:
        faults.fail(f"{entry.id}.png", "write", errno.ENOSPC)
    return faults


def _next_image(qtbot, window) -> None:  # noqa: ANN001 - qtbot fixture
    controller, before = window.annotation.controller, window.session.current_index
    key(window, "PgDown")
    qtbot.waitUntil(lambda: controller.document is not None and window.session.current_index == before + 1
                    and controller.image_path == window.session.current_path, timeout=10000)


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_repeated_save_failures_are_told_once_then_counted_in_the_status_bar(qtbot, window, reporter,
                                                                              monkeypatch) -> None:
    controller = window.annotation.controller
    project, first = controller.project, controller.document.image_id
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    for y in (300, 320, 340):  # three strokes: three failed autosaves
        drag(window, [(100, y), (200, y)])
    assert faults.hits >= 3
    assert len(reporter.save_problems) == 1 and not reporter.errors  # told once, not once per stroke
    told = reporter.save_problems[0]
    assert told.error.path == project.mask_path(first)
    assert f"Could not save {first}: cannot write: disk full" in told.text()
    assert "kept in memory" in told.text() and "Free some space" in told.text()
    assert str(project.folder) in told.text()  # where to free space
    indicator = controller.save_status.indicator
    assert indicator.isVisible()
    assert indicator.text() == "1 image not saved — disk full; edits kept in memory"

    _next_image(qtbot, window)
    second = controller.document.image_id
    drag(window, [(100, 100), (150, 100)])  # another image, the disk still full
    assert len(reporter.save_problems) == 1
    assert indicator.text() == "2 images not saved — disk full; edits kept in memory"
    assert first in indicator.toolTip() and second in indicator.toolTip()
    assert controller.document.mask[100, 120] == 1  # the edit stays
    faults.clear()


def test_a_failure_of_another_kind_is_told_too(qtbot, window, reporter, monkeypatch) -> None:
    controller = window.annotation.controller
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    _next_image(qtbot, window)
    second = controller.document.image_id
    faults.fail(f"{second}.png", "write", errno.EIO)  # this one's disk fails otherwise
    drag(window, [(100, 100), (150, 100)])
    drag(window, [(100, 120), (150, 120)])
    assert len(reporter.save_problems) == 2  # disk full, then the I/O error: each told once
    assert f"Could not save {second}: cannot write: Input/output error" in reporter.save_problems[1].text()
    assert controller.save_status.indicator.text() == \
        "2 images not saved — disk full, Input/output error; edits kept in memory"
    faults.clear()


def test_the_save_failure_dialog_is_shown_once_and_updated_never_stacked(qtbot, make_window, dataset: Path,
                                                                         tmp_path: Path, monkeypatch) -> None:
    reporter = DialogErrorReporter()
    window = _open(qtbot, make_window, reporter, dataset, tmp_path)
    controller = window.annotation.controller
    project, first = controller.project, controller.document.image_id
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    drag(window, [(100, 320), (200, 320)])
    boxes = _message_boxes()
    assert len(boxes) == 1 and boxes[0] is reporter.save_dialog
    dialog = reporter.save_dialog
    assert dialog.text() == f"Could not save {first}: disk full"  # not "Could not open 2 items."
    assert str(project.mask_path(first)) in dialog.informativeText()
    assert "1 image not saved" in dialog.informativeText()

    _next_image(qtbot, window)
    drag(window, [(100, 100), (150, 100)])
    assert _message_boxes() == [dialog]  # the same message, counting
    assert "2 images not saved" in dialog.informativeText()
    assert dialog.text() == f"Could not save {first}: disk full"  # what it told first stays its headline
    dialog.close()  # the annotator read it
    drag(window, [(100, 120), (150, 120)])
    assert _message_boxes() == []  # not popped up again for the same trouble
    assert controller.save_status.indicator.text() == "2 images not saved — disk full; edits kept in memory"
    faults.clear()


def test_once_saving_works_again_the_count_goes_and_the_status_bar_says_all_is_saved(qtbot, window, reporter,
                                                                                     monkeypatch) -> None:
    controller = window.annotation.controller
    project, first = controller.project, controller.document.image_id
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    _next_image(qtbot, window)
    second = controller.document.image_id
    drag(window, [(100, 100), (150, 100)])
    indicator = controller.save_status.indicator
    assert indicator.text().startswith("2 images not saved")

    faults.clear()  # room again
    drag(window, [(100, 120), (150, 120)])
    assert not controller.unsaved_documents()
    assert not indicator.isVisible()
    message = window.statusBar().currentMessage()
    assert message.startswith("All edits saved") and first in message and second in message
    assert reporter.save_problem is not None and reporter.save_problem.unsaved == ()  # the message says so
    assert project.load_mask(first)[300, 150] == 1 and project.load_mask(second)[120, 120] == 1

    faults = _disk_full(monkeypatch, window)  # full again, later: a new trouble, told again
    drag(window, [(100, 140), (150, 140)])
    assert len(reporter.save_problems) == 2
    assert indicator.isVisible() and indicator.text().startswith("1 image not saved")
    faults.clear()


def test_an_open_save_failure_dialog_says_when_all_is_saved(qtbot, make_window, dataset: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    reporter = DialogErrorReporter()
    window = _open(qtbot, make_window, reporter, dataset, tmp_path)
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    dialog = reporter.save_dialog
    assert dialog is not None and dialog.isVisible() and dialog.text().startswith("Could not save")
    faults.clear()
    drag(window, [(100, 320), (200, 320)])
    assert dialog.isVisible() and dialog.text() == "All edits are saved now"
    assert dialog.icon() == QMessageBox.Icon.Information


def test_more_images_edited_than_are_kept_open_are_all_counted_and_all_saved_later(qtbot, make_window, reporter,
                                                                                   demo_dir: Path, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """The documents of the last RECENT_DOCUMENTS images stay open; one let go whose save fails was
    dropped with 'its last edits are lost'. While the disk is full they are all kept and counted."""
    folder = tmp_path / "frames"
    folder.mkdir()
    samples = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    count = RECENT_DOCUMENTS + 3
    for i in range(count):
        shutil.copy(samples[i % len(samples)], folder / f"frame{i:02d}.jpg")
    window = _open(qtbot, make_window, reporter, folder, tmp_path)
    controller = window.annotation.controller
    project = controller.project
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    edited = []
    for i in range(count):
        if i:
            _next_image(qtbot, window)
        edited.append(controller.document.image_id)
        drag(window, [(100, 200 + 10 * i), (200, 200 + 10 * i)])
    assert len(set(edited)) == count
    assert len(controller.unsaved_documents()) == count
    indicator = controller.save_status.indicator
    assert indicator.text() == f"{count} images not saved — disk full; edits kept in memory"
    assert len(reporter.told) == len(reporter.save_problems) == 1  # told once; nothing said lost

    window.session.set_current(0)  # back to the first image, let go long ago: its edit comes back
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == edited[0],
                    timeout=10000)
    assert controller.document.mask[200, 150] == 1
    assert len(controller.unsaved_documents()) == count

    faults.clear()  # room again: the next edit saves every one of them
    drag(window, [(300, 100), (350, 100)])
    assert not controller.unsaved_documents() and not indicator.isVisible()
    for i, image_id in enumerate(edited):
        saved = project.load_mask(image_id)
        assert saved is not None and saved[200 + 10 * i, 150] == 1, image_id


class _Answers:
    """Answers the close question in turn (instead of the modal dialog), keeping what it was asked."""

    def __init__(self, *answers: CloseChoice, before=None) -> None:  # noqa: ANN001 - callables
        self.answers, self.before, self.asked = list(answers), before or {}, []

    def __call__(self, parent, problem):  # noqa: ANN001, ANN204 - as SaveStatus.ask
        self.asked.append(problem)
        action = self.before.get(len(self.asked))
        if action is not None:
            action()
        return self.answers.pop(0)


def _unsaved_edit(window, monkeypatch) -> Faults:  # noqa: ANN001 - window, fixture
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert window.annotation.controller.unsaved_documents()
    return faults


def test_closing_with_edits_not_saved_asks_and_cancel_keeps_the_window_and_the_edits(qtbot, window, reporter,
                                                                                     monkeypatch) -> None:
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    faults = _unsaved_edit(window, monkeypatch)
    ask = _Answers(CloseChoice.CANCEL)
    controller.save_status.ask = ask
    assert not window.close()
    assert window.isVisible()
    assert len(ask.asked) == 1
    assert ask.asked[0].unsaved == (doc.image_id,) and "disk full" in ask.asked[0].summary()
    assert controller.document is doc and doc.mask[300, 150] == 1  # still there, still editable
    assert project.lock is not None and not project.read_only  # the project is still held
    drag(window, [(100, 320), (200, 320)])
    assert doc.mask[320, 150] == 1
    faults.clear()
    assert window.close()  # room again: saved on the way out, nothing asked
    assert len(ask.asked) == 1
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[300, 150] == 1 and saved[320, 150] == 1


def test_closing_with_edits_not_saved_retry_saves_them_once_there_is_room(qtbot, window, monkeypatch) -> None:
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    faults = _unsaved_edit(window, monkeypatch)
    ask = _Answers(CloseChoice.RETRY, CloseChoice.RETRY, before={2: faults.clear})  # frees space, retries
    controller.save_status.ask = ask
    assert window.close()
    assert len(ask.asked) == 2  # the first retry failed too: asked again
    saved = project.load_mask(doc.image_id)
    assert saved is not None and saved[300, 150] == 1


def test_closing_with_edits_not_saved_discard_closes_without_saving(qtbot, window, reporter, monkeypatch) -> None:
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    faults = _unsaved_edit(window, monkeypatch)
    controller.save_status.ask = _Answers(CloseChoice.DISCARD)
    told = len(reporter.told)
    assert window.close()
    assert not project.mask_path(image_id).exists()  # nothing written, as chosen; the edit's recovery log
    assert log_path(project.mask_path(image_id)).exists()  # stays: the next opening applies it (as the box says)
    assert len(reporter.told) == told and not reporter.lost  # chosen, not a surprise: no "edits are lost"
    faults.clear()


def test_the_close_question_offers_retry_discard_and_cancel(qtbot, window, monkeypatch) -> None:
    controller = window.annotation.controller
    faults = _unsaved_edit(window, monkeypatch)
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"], seen["more"] = box.text(), box.informativeText()
        seen["names"] = sorted(b.text().replace("&", "") for b in box.buttons())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert not window.close()
    assert window.isVisible()
    assert seen["names"] == ["Cancel", "Discard", "Retry"]
    assert "1 image" in seen["text"] and "disk full" in seen["text"]
    assert controller.document.image_id in seen["more"] and "Free some space" in seen["more"]
    faults.clear()
