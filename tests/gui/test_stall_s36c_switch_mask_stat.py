"""Going from image to image with the project kept on a share slow to answer (the usual case: its ``.fosp``
beside the images): the GUI thread, taking the image's files read on the reader worker, stat-ed its mask file
(`Project.open_document(saved=...)` -> `SavedFiles.current`) to know that no save replaced it since (session 36).
This process's own mask writes are counted in memory now (`fosp_core.annotation.saved_files_writes`).

The share is simulated as in `test_stall_s36b_switch_images` (`ImageShare`: the mask files too): ``os.stat`` held for paths in the project
until the test releases it, each call's thread kept; no wall-clock assert."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.labels import image_size

from .conftest import WindowFactory
from .test_stall_s36b_switch_images import HELD_S, ImageShare, shown, turns_while_held


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[ImageShare]:
    held = ImageShare(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


def test_stall_s36c_the_next_images_mask_is_not_stat_ed_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: ImageShare, demo_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos")
    window = make_window(show=True)
    controller = window.annotation.controller
    controller.registry.projects_root = Path(share.root) / "projects"  # the project on the share
    assert len(window.open_paths([folder], remember=True)) == 4
    qtbot.waitUntil(lambda: shown(window, window.session.current_path), timeout=20_000)
    project = controller.project
    assert project is not None
    second = window.session.paths[1]
    found = controller.registry.lookup(second)
    assert found is not None
    shape = image_size(second)
    assert shape is not None
    saved = np.zeros(shape, np.uint8)
    saved[:40, :60] = 1
    project.save_mask(found[1], saved, Status.EDITED)  # a mask saved for it (this process's write: counted)
    monkeypatch.setattr(os, "stat", share.hold("stat", os.stat, lambda path, *_: path))
    _short_small_read_wait(monkeypatch)
    window.session.next()
    turns_while_held(qtbot, share)
    share.released.set()
    qtbot.waitUntil(lambda: shown(window, second), timeout=(HELD_S * 12 + 10) * 1000)
    monkeypatch.undo()
    assert share.on_gui() == {}, share.on_gui()
    assert controller.document is not None and np.array_equal(controller.document.mask, saved)
    controller.close()


def _short_small_read_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI thread's wait for a small image's files (`document_reader.SMALL_READ_WAIT_S`, 0.5 s), which the
    held disk outlasts by design, 0.05 s at most: the same path (the document comes when they are read)."""
    from app.annotation.document_reader import SMALL_READ_WAIT_S, DocumentReader

    real = DocumentReader.read_now

    def read_now(self: DocumentReader, project: object, image_id: str, image_shape: tuple[int, ...],
                 wait_s: float = SMALL_READ_WAIT_S) -> object:
        return real(self, project, image_id, image_shape, min(wait_s, 0.05))  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentReader, "read_now", read_now)
