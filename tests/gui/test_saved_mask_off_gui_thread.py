"""Showing an image's document never reads its saved files on the GUI thread: its saved mask (with
its palette and size checks), reference label and stored map are read on a worker
(`app.annotation.document_reader`), the tools saying they wait until the mask is there; an image
left before its files arrive never gets them (a reopened 12000x8000 photo held the GUI thread
1.9 s reading its mask).

The demo's images are 512 x 512: `READ_ON_WORKER_PIXELS` is set to 0 so that they are read as a
huge photo's are.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project_images
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import demo_window, drag, key

HELD_S = 5.0  # a held read lets go after this (a read that blocks the GUI thread must not hang the test)


class Reads:
    """`read_mask` of the project's files, recording which thread read which file; the reads of a
    file named in `held` wait until it is let go (`release`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, int]] = []
        self.held: dict[str, threading.Event] = {}
        self.started: set[str] = set()
        real = project_images.read_mask

        def read_mask(path, **kwargs):  # noqa: ANN001, ANN202 - as read_mask
            name = Path(path).name
            self.calls.append((str(path), threading.get_ident()))
            self.started.add(name)
            if name in self.held:
                self.held[name].wait(HELD_S)
            return real(path, **kwargs)

        monkeypatch.setattr(project_images, "read_mask", read_mask)

    def hold(self, name: str) -> None:
        self.held[name] = threading.Event()

    def release(self, name: str) -> None:
        self.held[name].set()

    def on_gui_thread(self) -> list[str]:
        return [path for path, thread in self.calls if thread == threading.main_thread().ident]


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN201 - fixtures
    monkeypatch.setattr("app.annotation.document_reader.READ_ON_WORKER_PIXELS", 0)
    return demo_window(qtbot, make_window, demo_dir, tmp_path)


def _saved_masks(window) -> dict[str, np.ndarray]:  # noqa: ANN001 - window
    """A different mask saved for each image but the first (none of them open)."""
    project = window.annotation.controller.project
    masks = {}
    for i, entry in enumerate(project.entries[1:], start=1):
        mask = np.zeros((512, 512), np.uint8)
        mask[40 * i:40 * i + 60, 30:200] = 1
        mask[400:, 400:] = 255
        project.save_mask(entry.id, mask)
        masks[entry.id] = mask
    return masks


def _go(qtbot, window, index: int) -> None:  # noqa: ANN001 - qtbot fixture, window
    session = window.session
    session.set_current(index)
    qtbot.waitUntil(lambda: session.current_image is not None and session.current_index == index
                    and session.current_image.path == session.current_path, timeout=10000)


def _document_of(qtbot, window, image_id: str) -> None:  # noqa: ANN001 - qtbot fixture, window
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == image_id,
                    timeout=10000)


def test_the_saved_mask_and_label_are_read_off_the_gui_thread(qtbot, window, monkeypatch) -> None:
    masks = _saved_masks(window)
    reads = Reads(monkeypatch)
    controller = window.annotation.controller
    image_id = controller.project.entries[1].id
    _go(qtbot, window, 1)
    _document_of(qtbot, window, image_id)
    assert any(Path(path).name == f"{image_id}.png" and "masks" in path for path, _ in reads.calls)
    assert reads.on_gui_thread() == []
    np.testing.assert_array_equal(controller.document.mask, masks[image_id])
    np.testing.assert_array_equal(controller.layer.mask, masks[image_id])


def test_the_tools_say_they_wait_for_the_mask_until_it_is_there(qtbot, window, monkeypatch) -> None:
    masks = _saved_masks(window)
    reads = Reads(monkeypatch)
    controller, actions = window.annotation.controller, window.annotation.actions
    image_id = controller.project.entries[1].id
    reads.hold(f"{image_id}.png")
    messages: list[str] = []
    controller.message.connect(lambda text, _ms: messages.append(text))
    _go(qtbot, window, 1)
    qtbot.waitUntil(lambda: f"{image_id}.png" in reads.started, timeout=10000)
    try:
        assert controller.document is None and controller.opening.reading == image_id
        assert not actions.accept.isEnabled() and not actions.fill_holes.isEnabled()
        assert "reading" in window.annotation.tool_dock.status_label.text().lower()
        key(window, "B", settle=False)
        drag(window, [(100, 300), (200, 300)], settle=False)  # a stroke before the mask is there
        assert any("reading" in text.lower() and image_id in text for text in messages)
        assert controller.editable() is None
    finally:
        reads.release(f"{image_id}.png")
    _document_of(qtbot, window, image_id)
    assert controller.opening.reading is None
    np.testing.assert_array_equal(controller.document.mask, masks[image_id])  # nothing painted meanwhile
    assert actions.accept.isEnabled()
    assert controller.state.tool is Tool.BRUSH


def test_leaving_an_image_before_its_mask_arrives_never_shows_that_mask(qtbot, window, monkeypatch) -> None:
    masks = _saved_masks(window)
    reads = Reads(monkeypatch)
    controller = window.annotation.controller
    first, second = controller.project.entries[1].id, controller.project.entries[2].id
    reads.hold(f"{first}.png")
    _go(qtbot, window, 1)
    qtbot.waitUntil(lambda: f"{first}.png" in reads.started, timeout=10000)
    _go(qtbot, window, 2)  # the first image's read still runs
    _document_of(qtbot, window, second)
    reads.release(f"{first}.png")
    qtbot.waitUntil(lambda: not controller.opening.reader.busy, timeout=10000)  # its result came back, and went
    qtbot.wait(50)
    assert controller.document.image_id == second and controller.opening.reading is None
    np.testing.assert_array_equal(controller.document.mask, masks[second])
    np.testing.assert_array_equal(controller.layer.mask, masks[second])
    assert reads.on_gui_thread() == []
    _go(qtbot, window, 1)  # going back reads it again, and shows it
    _document_of(qtbot, window, first)
    np.testing.assert_array_equal(controller.document.mask, masks[first])


def test_closing_the_window_while_a_mask_is_read_drops_it(qtbot, window, monkeypatch) -> None:
    _saved_masks(window)
    reads = Reads(monkeypatch)
    controller = window.annotation.controller
    image_id = controller.project.entries[1].id
    reads.hold(f"{image_id}.png")
    shown: list[object] = []
    controller.document_changed.connect(lambda: shown.append(controller.document))
    _go(qtbot, window, 1)
    qtbot.waitUntil(lambda: f"{image_id}.png" in reads.started, timeout=10000)
    window.close()
    assert controller.opening.reading is None
    reads.release(f"{image_id}.png")
    qtbot.waitUntil(lambda: not controller.opening.reader.busy, timeout=10000)
    assert controller.document is None and all(doc is None for doc in shown)
