"""Switching to an image under 1 MP read its saved files (mask, recovery log, label, map) on the GUI thread
(`DocumentOpening.open` -> `saved_document`): a disk that stopped answering froze the window. A small image's
files are now read on the worker too, the GUI thread waiting for them SMALL_READ_WAIT_S at most: read by then,
its document is there as its image is (as before); not, it comes when they are, as a big image's does. The disk
is simulated (tests/gui/dead_disk.DeadDisk: the read waits until released, or `held_s`)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import copy_demo, open_and_wait
from tests.gui.dead_disk import DeadDisk


def test_a_small_image_whose_mask_does_not_answer_opens_its_document_when_it_does(
    qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(show=True)
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, copy_demo(demo_dir, tmp_path / "demo"))
    project, second = controller.registry.lookup(window.session.paths[1])
    mask = np.zeros(project.entry(second).size or (512, 512), np.uint8)
    mask[100:200, 50:300] = 1
    project.save_mask(second, mask)
    disk, on_gui = DeadDisk(held_s=3.0), []
    held, real = disk.hold(Project.load_mask), Project.load_mask

    def load_mask(self: Project, image_id: str) -> np.ndarray | None:
        if image_id != second:
            return real(self, image_id)
        on_gui.append(threading.current_thread() is threading.main_thread())
        return held(self, image_id)  # type: ignore[return-value]

    monkeypatch.setattr(Project, "load_mask", load_mask)
    _short_small_read_wait(monkeypatch)
    try:
        window.session.next()  # its image decoded on the loader's worker, then its document opened
        qtbot.waitUntil(disk.stuck.is_set, timeout=10_000)
        assert on_gui == [False], on_gui  # was [True]: the GUI thread waited on the disk
        assert not disk.done.is_set() and controller.document is None  # no mask shown that is not its own
        qtbot.wait(20)  # the window turns meanwhile
    finally:
        disk.released.set()
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.paths[1],
                    timeout=10_000)
    np.testing.assert_array_equal(controller.document.mask, mask)
    assert on_gui == [False]  # read once, on the worker


def _short_small_read_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI thread's wait for a small image's files (`document_reader.SMALL_READ_WAIT_S`, 0.5 s), which the
    held disk outlasts by design, 0.05 s at most: the same path (the document comes when they are read)."""
    from app.annotation.document_reader import SMALL_READ_WAIT_S, DocumentReader

    real = DocumentReader.read_now

    def read_now(self: DocumentReader, project: object, image_id: str, image_shape: tuple[int, ...],
                 wait_s: float = SMALL_READ_WAIT_S) -> object:
        return real(self, project, image_id, image_shape, min(wait_s, 0.05))  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentReader, "read_now", read_now)
