"""The video view writes a frame's mask on the timeline's save thread (`fosp_core.video.frame_saves`): a
commit returns before its PNG is written, the ends of the saves are taken on the GUI thread (notified by
the save thread), a failure is told in the status bar, and closing the video or the window waits for a
write still pending."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SaveJob
from fosp_core.io.masks import read_mask
from fosp_core.video import frame_saves
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


class _Held:
    """Holds every write of the save thread until `release`, then writes it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.threads: list[str] = []
        real = frame_saves._write_frame

        def write(job: SaveJob) -> None:
            self.entered.set()
            assert self.release.wait(30)
            self.threads.append(threading.current_thread().name)
            real(job)

        monkeypatch.setattr(frame_saves, "_write_frame", write)


def _mask(shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    mask[20:60, 30:90] = 1
    return mask


@pytest.mark.parametrize("how", ["leave", "window"])
def test_closing_waits_for_a_frame_save_still_pending(qtbot, make_window, tmp_path: Path, monkeypatch, how: str) -> None:
    held = _Held(monkeypatch)
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None and notes.save_in_background
    index = window.video.index
    assert doc.replace_mask(_mask(doc.shape))  # returns with the PNG still to write
    assert held.entered.wait(10)
    png = notes.mask_path(index)
    assert not png.exists() and log_path(png).is_file()
    threading.Timer(0.3, held.release.set).start()
    if how == "leave":
        window.video.leave()
    else:
        window.close()
    assert held.threads == ["fosp-mask-saves"]  # written on the save thread, waited for by the close
    np.testing.assert_array_equal(read_mask(png), _mask(doc.shape))
    assert not log_path(png).exists()


def test_the_end_of_a_save_is_taken_on_the_gui_thread_and_a_failure_told(qtbot, make_window, tmp_path: Path,
                                                                         monkeypatch) -> None:
    failing = {"on": True}
    real = frame_saves._write_frame

    def write(job: SaveJob) -> None:
        if failing["on"]:
            job.error = frame_saves.ProjectSaveError(job.path, "cannot save: disk full")
            return
        real(job)

    monkeypatch.setattr(frame_saves, "_write_frame", write)
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    notes, doc = window.video.annotations, window.video.document
    assert notes is not None and doc is not None
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    doc.replace_mask(_mask(doc.shape))
    qtbot.waitUntil(lambda: ("save_failed", window.video.index) in events, timeout=10_000)  # no finish_saves called here
    assert "Could not save frame" in window.statusBar().currentMessage()
    assert "disk full" in window.statusBar().currentMessage()
    failing["on"] = False
    doc.replace_mask(_mask(doc.shape) * 0 + 255)  # the next commit writes it again, the whole mask
    qtbot.waitUntil(lambda: events[-1] == ("saved", window.video.index), timeout=10_000)
    assert read_mask(notes.mask_path(window.video.index)).min() == 255
    assert window.statusBar().currentMessage() == f"Frame {window.video.index} saved"  # the failure told is over
