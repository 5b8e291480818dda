"""An image resized on disk whose document comes back with edits whose save failed (the disk was full), the
disk then not answering (session 35).

`OpenDocuments.set_aside` saved those edits again with ``Project.save_document`` on the GUI thread: the PNG's
write held by a disk that stopped answering froze the window as the image was opened again. It now saves
them as every retry is saved (`OpenDocuments._save_again`: the record to the image's recovery log, the PNG by
the save thread), waits `LET_GO_WAIT_S` at most, then holds the document and says the image opens without
its edits, being saved as they were. The PNG's write is held here as in
`test_review_rv_s34_close_retry_dead_disk` (`tests.gui.dead_disk.DeadDisk` around
``fosp_core.io.atomic._write_chunk`` for that file), released after `HELD_S` so that a failing test ends; the
test asserts the call returned while it was held (no wall-clock assert)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.recovery_records import apply_records, log_path, read_log
from fosp_core.io import atomic as atomic_io
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.gui.dead_disk import DeadDisk
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")

HELD_S = 3  # the longest the simulated dead disk holds the write (a failing test waits that long once)


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk(HELD_S)
    yield dead
    dead.released.set()


def _failed_and_taken_back(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN202
    """A window whose first image's save failed (disk full, then room again), the next image shown, and the
    first image's document taken back (as its image, resized on disk, is opened again)."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    image_id = controller.document.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "write", errno.ENOSPC)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])  # its background save fails: unsaved, told
    qtbot.waitUntil(lambda: [d.image_id for _, d in controller.unsaved_documents()] == [image_id], timeout=10_000)
    faults.clear()
    doc, project = controller.document, controller.project
    window.session.set_current(1)  # the painted image's document kept ...
    qtbot.waitUntil(lambda: controller.document is not None and controller.document is not doc, timeout=10_000)
    taken = controller.open_documents.take(project, image_id)  # ... and taken back
    assert taken is doc and not project.is_saved(doc)
    return window, controller, project, doc


def _logged_mask(project, image_id: str) -> np.ndarray:  # noqa: ANN001
    """The mask a crash now would leave: the mask file with the image's recovery log applied."""
    path = project.mask_path(image_id)
    base = np.asarray(Image.open(path)) if path.exists() else None
    return apply_records(base, read_log(log_path(path)))[0]


def _hold_png(monkeypatch, disk: DeadDisk, image_id: str) -> None:  # noqa: ANN001
    real = atomic_io._write_chunk

    def write_chunk(fd: int, data: memoryview) -> int:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(f".{image_id}.png"):
            return disk.hold(real)(fd, data)
        return real(fd, data)

    monkeypatch.setattr(atomic_io, "_write_chunk", write_chunk)


def test_disk_s35_setting_aside_edits_not_saved_does_not_wait_for_a_disk_that_does_not_answer(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch, disk: DeadDisk) -> None:
    window, controller, project, doc = _failed_and_taken_back(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    _hold_png(monkeypatch, disk, doc.image_id)
    documents = controller.open_documents
    h, w = doc.shape
    told = documents.set_aside(project, doc, (h * 2, w * 2))
    assert not disk.done.is_set(), "setting the document aside waited for the write the disk holds"
    assert told is not None and "does not answer" in told.reason, told
    assert f"{w * 2} x {h * 2}" in told.reason and f"{w} x {h}" in told.reason
    assert doc in documents.held.values()  # held, its edit not lost
    qtbot.waitUntil(lambda: np.array_equal(_logged_mask(project, doc.image_id), doc.mask), timeout=10_000)  # in its log
    disk.released.set()
    qtbot.waitUntil(disk.done.is_set, timeout=20_000)
    assert not documents.flush()  # the outcome taken: its "saved" event lets the held document go
    qtbot.waitUntil(lambda: doc not in documents.held.values(), timeout=10_000)
    assert project.is_saved(doc) and not controller.unsaved_documents()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)  # saved as it was made


def test_disk_s35_setting_aside_edits_not_saved_saves_them_when_the_disk_answers(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:
    window, controller, project, doc = _failed_and_taken_back(qtbot, make_window, demo_dir, tmp_path, monkeypatch)
    documents = controller.open_documents
    h, w = doc.shape
    told = documents.set_aside(project, doc, (h * 2, w * 2))  # saved as it was: dropped ...
    assert told is None or "does not answer" in told.reason, told  # ... or held while the save ends (a busy machine)
    assert not documents.flush()
    qtbot.waitUntil(lambda: doc not in documents.held.values(), timeout=10_000)
    assert project.is_saved(doc) and not controller.unsaved_documents()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)
