"""Annotate ▸ Import Labels on a worker: the reading and writing of masks run on the
``fosp-import-labels`` thread, never the GUI thread; while it runs the tools wait and a second
import is refused; Cancel after k masks leaves exactly k written and the project consistent; closing
the window mid-import cancels it and the project reopens consistent. No timings: threads, counts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from app.annotation.import_job import ImportJob
from fosp_core.annotation import project_import
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import demo_window

SAFETY_S = 60  # only so that a broken build cannot hang the suite; no assertion depends on it


class _Recorder:
    """`Project.save_mask` and `read_label` wrapped: which thread ran them; after the `pause_after`-th
    mask the worker waits until the import is asked to stop (the user's Cancel, the window closing)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pause_after: int | None = None) -> None:
        self.saved: list[str] = []
        self.threads: set[str] = set()
        self.paused = threading.Event()
        self.pause_after = pause_after
        self.job_of: Callable[[], ImportJob | None] = lambda: None
        save_mask, read_label = Project.save_mask, project_import.read_label

        def recorded_save(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
            self.threads.add(threading.current_thread().name)
            save_mask(project, image_id, *args, **kwargs)
            self.saved.append(image_id)
            job = self.job_of()
            if len(self.saved) == self.pause_after and job is not None:
                self.paused.set()
                assert job.stop.wait(SAFETY_S)

        def recorded_read(*args: object, **kwargs: object) -> object:
            self.threads.add(threading.current_thread().name)
            return read_label(*args, **kwargs)

        monkeypatch.setattr(Project, "save_mask", recorded_save)
        monkeypatch.setattr(project_import, "read_label", recorded_read)


def _statuses(folder: Path) -> dict[str, Status]:
    with Project.open(folder, create=False) as project:
        assert not project.read_only, project.read_only_reason
        return {e.id: e.status for e in project.entries}


def test_the_import_reads_and_writes_masks_off_the_gui_thread(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    recorder = _Recorder(monkeypatch)
    assert window.annotation.import_labels(demo_dir) == 4
    assert len(recorder.saved) == 4
    assert recorder.threads == {"fosp-import-labels"}  # was {'MainThread'}
    assert threading.current_thread().name not in recorder.threads
    controller = window.annotation.controller
    assert not controller.attached and controller.document is not None  # the tools have their image back
    assert controller.document.status == Status.EDITED


def test_cancel_after_k_masks_leaves_k_and_the_tools_wait_meanwhile(qtbot, make_window, demo_dir: Path,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    project = ui.worklist.project
    folder, ids = project.folder, list(project.ids)
    recorder = _Recorder(monkeypatch, pause_after=2)
    recorder.job_of = lambda: ui.imports.job  # set before its thread starts
    assert ui.start_import(demo_dir)
    dialog = ui.imports.dialog
    # the GUI thread turns meanwhile (the window is responsive); one image told done, the 2nd being written
    qtbot.waitUntil(lambda: recorder.paused.is_set() and dialog.value() == 1)

    assert ui.controller.editable() is None  # the tools wait, and say why
    assert "while labels are imported" in window.statusBar().currentMessage()
    assert not ui.start_import(demo_dir)  # a second import is refused
    assert "Labels are being imported" in window.statusBar().currentMessage()
    assert dialog.isVisible() and dialog.labelText() == "Importing labels: 1 of 4 images"
    dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    report = ui.imports.wait()

    assert report is not None and report.cancelled and report.imported == ids[:2] and report.not_reached == 2
    assert recorder.saved == ids[:2]
    assert "Import cancelled: 2 masks imported, 2 images not reached" in window.statusBar().currentMessage()
    assert ui.imports.dialog is None and not ui.controller.attached
    assert ui.controller.editable() is not None  # the tools are back
    assert [ui.worklist.status_of(i) for i in ids] == [Status.EDITED] * 2 + [Status.UNLABELED] * 2
    ui.controller.close()
    assert _statuses(folder) == dict(zip(ids, [Status.EDITED] * 2 + [Status.UNLABELED] * 2, strict=True))
    assert sorted(p.stem for p in (folder / "masks").glob("*.png")) == sorted(ids[:2])


def test_closing_the_window_mid_import_cancels_it_cleanly(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    folder, ids = ui.worklist.project.folder, list(ui.worklist.project.ids)
    recorder = _Recorder(monkeypatch, pause_after=1)
    recorder.job_of = lambda: ui.imports.job
    assert ui.start_import(demo_dir)
    job = ui.imports.job
    qtbot.waitUntil(recorder.paused.is_set)

    assert window.close()
    QApplication.processEvents()  # a queued end of the import finds the window gone: nothing happens

    assert job.done.is_set() and not job.thread.is_alive()
    assert recorder.saved == ids[:1]
    assert _statuses(folder) == dict(zip(ids, [Status.EDITED] + [Status.UNLABELED] * 3, strict=True))
    assert sorted(p.stem for p in (folder / "masks").glob("*.png")) == ids[:1]
