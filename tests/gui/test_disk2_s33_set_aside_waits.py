"""An image resized on disk whose edited document comes back while the disk of its project stops answering
(session 33).

`OpenDocuments.set_aside` (the document does not fit the image any more) waited for that image's save
under way with no bound (``finish_saves(wait=True, image_id=...)``): the PNG held by a dead disk froze the
window when the image was opened again. It now waits `LET_GO_WAIT_S` at most, as letting a document go
does (d0f04bb3), then holds the document (saved as it was once the disk answers: `release_held`) and says
why the image opens without its edits. The dead disk is simulated as in `test_disk_s33_dead_disk_window`:
the PNG's write blocks on an Event released at the end; no wall-clock assert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation import mask_saves
from tests.gui.annotation_helpers import drag
from tests.gui.test_disk_s33_dead_disk_window import DeadDisk, _stroke


@pytest.fixture()
def disk() -> Iterator[DeadDisk]:
    dead = DeadDisk()
    yield dead
    dead.released.set()


def test_a_resized_image_whose_save_is_stuck_holds_its_document_instead_of_waiting(  # noqa: ANN001
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
    taken = documents.take(project, doc.image_id)  # ... and taken back for its image, resized on disk meanwhile
    assert taken is doc
    h, w = doc.shape
    told = documents.set_aside(project, doc, (h * 2, w * 2))
    assert not disk.done.is_set(), "setting the document aside waited for the disk"
    assert told is not None and "does not answer" in told.reason, told
    assert f"{w * 2} x {h * 2}" in told.reason
    assert doc in documents.held.values()  # held, its edit not lost
    disk.released.set()
    qtbot.waitUntil(lambda: not project.saves_under_way(), timeout=20_000)
    documents.save_unsaved()  # as after the next save that works
    assert doc not in documents.held.values()
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)  # saved as it was made
