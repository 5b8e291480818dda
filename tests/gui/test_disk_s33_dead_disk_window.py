"""A disk that stops answering never freezes the window (session 33).

Each edit's recovery-log record was written on the GUI thread, Save Now waited on it (10 s), and closing the
window waited for the saves under way with no end. Now the record is written by the log's append thread (the
commit waits for it a short while, once), Save Now looks at the saves without waiting ("Saving: ..." then the
outcome when the disk answers), and the close asks while saves are held (they come back by themselves when the
disk answers; Close Anyway closes now, saying what is not on disk). The dead disk is simulated: the log's
append, or the mask's write, blocks on an Event, released at the end of each test. That the event loop turns
while it is stuck is shown by a timer firing then (no wall-clock assert)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fosp_core.annotation import log_sync, mask_saves
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.keyboard_day_helpers import day_window

HELD_S = 20  # the longest the simulated dead disk holds a write (the old code then goes on, and fails the test)


class DeadDisk:
    """Blocks the calls it replaces until `released` (or `HELD_S`); `done`: a held call has gone on since."""

    def __init__(self) -> None:
        self.stuck, self.released, self.done = threading.Event(), threading.Event(), threading.Event()

    def hold(self, call, *args):  # noqa: ANN001, ANN002, ANN202
        self.stuck.set()
        self.released.wait(HELD_S)
        try:
            return call(*args)
        finally:
            self.done.set()


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk()
    yield dead
    dead.released.set()


def _close_waits():  # noqa: ANN202 - imported in the close tests alone (the module is new)
    from app.annotation import close_waits
    return close_waits


def _stroke(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    controller.state.set_tool(Tool.BRUSH)
    window.canvas.setFocus()
    return window, controller


def _turns_while(qtbot, stuck: DeadDisk) -> bool:  # noqa: ANN001
    """Whether a timer fires while the disk still holds the write (the event loop turns)."""
    seen: list[bool] = []
    QTimer.singleShot(0, lambda: seen.append(stuck.stuck.is_set() and not stuck.done.is_set()))
    qtbot.waitUntil(lambda: bool(seen), timeout=(HELD_S + 10) * 1000)
    return seen[0]


def test_a_stroke_whose_log_record_is_stuck_keeps_the_event_loop_turning(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves.append_record
    monkeypatch.setattr(mask_saves, "append_record", lambda *a: disk.hold(real, *a))
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05, raising=False)
    drag(window, [(100, 100), (200, 120)], settle=False)  # the release commits: its record held by the disk
    assert _turns_while(qtbot, disk), "the GUI thread waited for the recovery log's write"
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None
    disk.released.set()
    qtbot.waitUntil(lambda: project.mask_path(doc.image_id).exists() and project.is_saved(doc), timeout=20_000)
    controller.open_documents.flush()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)


def test_save_now_on_a_dead_disk_says_saving_and_the_outcome_once_it_answers(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    drag(window, [(100, 100), (200, 120)], settle=False)  # its PNG held by the disk
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.annotation.actions.save_now.trigger()
    assert told and told[-1].startswith("Saving: waiting for the disk"), told
    assert _turns_while(qtbot, disk), "Save Now waited on the GUI thread"
    disk.released.set()
    qtbot.waitUntil(lambda: told[-1].startswith("Saved: every edit is on disk"), timeout=20_000)
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None and project.is_saved(doc)


def test_closing_with_saves_stuck_asks_and_close_anyway_closes(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    close_waits = _close_waits()
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05, raising=False)
    asked: list[tuple[list[str], list[str]]] = []

    def answer(_parent, _controller, stuck):  # noqa: ANN001, ANN202
        asked.append(close_waits.not_on_disk(stuck))
        return close_waits.StuckChoice.CLOSE_ANYWAY

    monkeypatch.setattr(close_waits, "ask_while_stuck", answer, raising=False)
    drag(window, [(100, 100), (200, 120)], settle=False)
    doc = controller.document
    assert doc is not None
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.close()
    assert asked == [([doc.image_id], [])], asked  # its edit in its recovery log, not in its mask file
    assert not disk.done.is_set(), "the close waited for the disk"
    assert not window.isVisible()


def test_closing_with_saves_stuck_waits_while_asking_and_closes_once_the_disk_answers(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    close_waits = _close_waits()
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05, raising=False)
    drag(window, [(100, 100), (200, 120)], settle=False)
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    shown: list[str] = []

    def look() -> None:  # the question is up, the disk still holding the write: then it answers
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and not shown:
            shown.append(box.text() if not disk.done.is_set() else "")
            disk.released.set()
        elif not shown:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    window.close()
    assert shown and shown[0].startswith("Waiting for the disk"), shown
    assert not window.isVisible()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)  # waited for, then closed as usual


def test_closing_with_saves_stuck_and_cancel_keeps_the_window(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    close_waits = _close_waits()
    window, _controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05, raising=False)
    monkeypatch.setattr(close_waits, "ask_while_stuck", lambda *_: close_waits.StuckChoice.CANCEL, raising=False)
    drag(window, [(100, 100), (200, 120)], settle=False)
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.close()
    assert window.isVisible() and not disk.done.is_set()
    disk.released.set()


def test_letting_a_document_go_while_its_save_is_stuck_holds_it_instead_of_waiting(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    drag(window, [(100, 100), (200, 120)], settle=False)  # its PNG held by the disk
    doc, project = controller.document, controller.project
    assert doc is not None and project is not None
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    window.session.set_current(1)  # the painted image's document kept ...
    qtbot.waitUntil(lambda: controller.document is not None and controller.document is not doc, timeout=10_000)
    documents = controller.open_documents
    seen: list[bool] = []
    QTimer.singleShot(0, lambda: seen.append(disk.stuck.is_set() and not disk.done.is_set()))
    documents.drop_all()  # ... and let go (as after Import Labels, or beyond the documents kept)
    qtbot.waitUntil(lambda: bool(seen), timeout=(HELD_S + 10) * 1000)
    assert seen == [True], "letting the document go waited for the disk"
    assert doc in documents.held.values()  # held, its edit not lost
    disk.released.set()
    qtbot.waitUntil(lambda: not project.saves_under_way(), timeout=20_000)
    documents.save_unsaved()  # as after the next save that works
    assert doc not in documents.held.values()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)


def test_export_with_a_save_stuck_waits_for_it_without_freezing_the_window(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller = _stroke(qtbot, make_window, demo_dir, tmp_path)
    real = mask_saves._write
    monkeypatch.setattr(mask_saves, "_write", lambda job: disk.hold(real, job))
    drag(window, [(100, 100), (200, 120)], settle=False)  # its PNG held by the disk
    doc = controller.document
    assert doc is not None
    qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
    dialog = window.annotation.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.probing, timeout=10_000)
    dst = tmp_path / "exported"
    dialog.dst.setText(str(dst))
    dialog.start()  # its destination answers at once; the export waits for the save, not the window
    assert _turns_while(qtbot, disk), "Export waited for the disk on the GUI thread"
    assert dialog.worker is not None and not dialog.worker.started
    disk.released.set()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=30_000)
    assert dialog.error is None
    exported = np.asarray(Image.open(dst / "SegmentationClass" / f"{doc.image_id}.png"))
    assert np.array_equal(exported, doc.mask)
