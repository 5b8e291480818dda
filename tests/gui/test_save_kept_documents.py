"""The documents of the images left lately are kept open (`RECENT_DOCUMENTS`, with their undo
history); one whose last edits could not be saved (a full disk) must never be let go unsaved: not
when the kept documents are reloaded while a video is on screen (Import Labels), and not when its
image's size changed on disk before going back to it.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import cv2
import pytest

from app.annotation.close_question import CloseChoice
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window, drag, key
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201 - fixtures
    win = demo_window(qtbot, make_window, demo_dir, tmp_path)
    win.annotation.controller.save_status.ask = lambda parent, problem: CloseChoice.DISCARD  # never modal
    return win


def _disk_full(monkeypatch, window) -> Faults:  # noqa: ANN001 - fixture, window
    faults = Faults(monkeypatch)
    for entry in window.annotation.controller.project.entries:
        faults.fail(f"{entry.id}.png", "write", errno.ENOSPC)
    return faults


def _show(qtbot, window, index: int) -> None:  # noqa: ANN001 - qtbot fixture, window
    session = window.session
    session.set_current(index)  # the controller opens its document (or tells why not) when it arrives
    qtbot.waitUntil(lambda: session.current_image is not None and session.current_index == index
                    and session.current_image.path == session.current_path, timeout=10000)


def test_reloading_the_kept_documents_in_video_mode_keeps_edits_not_saved(qtbot, window, tmp_path: Path,
                                                                         demo_dir: Path, monkeypatch) -> None:
    """In video mode `reload_documents` (after Import Labels) forgot the kept image documents
    without saving them: an image edit whose save had failed was lost without a word."""
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    faults = Faults(monkeypatch)
    faults.fail(f"{image_id}.png", "write", errno.ENOSPC)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]

    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.avi", frames=6, fourcc="MJPG")], remember=False)
    assert controller.attached
    labels = tmp_path / "labels"  # a mask for another image only: the edited one's save still fails
    labels.mkdir()
    other = project.entries[1].id
    shutil.copy(demo_dir / "SegmentationClass" / f"{other}.png", labels / f"{other}.png")
    assert window.annotation.import_labels(labels) == 1  # Import Labels reloads the documents
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]  # still kept, still counted
    assert controller.save_status.indicator.text().startswith("1 image not saved")

    window.video.leave()
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == image_id,
                    timeout=10000)
    assert controller.document.mask[300, 150] == 1  # the edit comes back with its image
    faults.clear()
    window.annotation.controller.confirm_close()  # saves what is not saved
    saved = project.load_mask(image_id)
    assert saved is not None and saved[300, 150] == 1


def test_reloading_the_kept_documents_in_video_mode_saves_them_when_it_can(qtbot, window, tmp_path: Path,
                                                                          monkeypatch) -> None:
    controller = window.annotation.controller
    project, image_id = controller.project, controller.document.image_id
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([write_clip(tmp_path / "clip.avi", frames=6, fourcc="MJPG")], remember=False)
    faults.clear()  # room again
    controller.reload_documents()
    assert not controller.unsaved_documents()
    saved = project.load_mask(image_id)
    assert saved is not None and saved[300, 150] == 1


def test_an_edit_not_saved_is_kept_when_its_image_changed_size_on_disk(qtbot, window, monkeypatch) -> None:
    """A kept document whose image's size changed on disk was dropped for a fresh one: an edit not
    saved (disk full) went with it. It is kept now (saved when there is room) and the mismatch told."""
    controller = window.annotation.controller
    reporter = window.services.error_reporter
    project, image_id = controller.project, controller.document.image_id
    image_path = window.session.current_path
    faults = _disk_full(monkeypatch, window)
    key(window, "B")
    drag(window, [(100, 300), (200, 300)])
    _show(qtbot, window, 1)
    rgb = cv2.imread(str(image_path))
    cv2.imwrite(str(image_path), cv2.resize(rgb, (256, 256)))  # replaced by a smaller image
    told = len(reporter.errors)
    _show(qtbot, window, 0)
    assert controller.document is None  # the 512 x 512 edit is not shown on the 256 x 256 image
    assert [d.image_id for _, d in controller.unsaved_documents()] == [image_id]  # but kept
    news = reporter.errors[told:]
    assert any("256" in e.reason and "512" in e.reason and "kept" in e.reason for e in news), news

    faults.clear()
    controller.confirm_close()  # room again: saved as it was made
    saved = project.load_mask(image_id)
    assert saved is not None and saved.shape == (512, 512) and saved[300, 150] == 1


def test_a_saved_document_is_reopened_when_its_image_changed_size_on_disk(qtbot, window) -> None:
    """Only a saved document is dropped for a changed image: nothing of it is lost."""
    controller = window.annotation.controller
    image_path = window.session.current_path
    image_id = controller.document.image_id
    _show(qtbot, window, 1)
    rgb = cv2.imread(str(image_path))
    cv2.imwrite(str(image_path), cv2.resize(rgb, (256, 256)))
    _show(qtbot, window, 0)
    assert controller.document is not None and controller.document.image_id == image_id
    assert controller.document.shape == (256, 256)
    assert not controller.unsaved_documents()
