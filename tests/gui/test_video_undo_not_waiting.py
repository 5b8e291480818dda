"""In the video view, Undo back to a frame without a mask returns while the frame's PNG is still being
written (the save thread removes the files after it: `fosp_core.video.frame_removals`); the timeline's edited
mark goes at once, the files once the save thread is done, its end taken on the GUI thread. (It used to wait
on the GUI thread for that write.)"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from fosp_core.annotation.recovery import log_path
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_frame_saves_gui import _Held, _mask
from tests.gui.video_helpers import open_video


def test_undo_to_no_mask_returns_before_the_pending_write(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    held = _Held(monkeypatch)
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=6), tmp_path)
    notes, doc, index = window.video.annotations, window.video.document, window.video.index
    assert notes is not None and doc is not None and notes.save_in_background
    events: list[tuple[str, int | None]] = []
    notes.events.connect(events.append)
    assert doc.replace_mask(_mask(doc.shape))
    assert held.entered.wait(10)  # the stroke's PNG held on the save thread
    threading.Timer(1.0, held.release.set).start()  # the code before this change waited here
    assert window.annotation.controller.undo()  # the Undo command
    assert held.threads == []  # returned with the write still held
    assert index not in notes.edited and not notes.has_mask(index) and ("edited", index) in events
    held.release.set()
    qtbot.waitUntil(lambda: events[-1] == ("saved", index), timeout=10_000)  # taken on the GUI thread
    png = notes.mask_path(index)
    assert held.threads == ["fosp-mask-saves"] and not png.exists() and not log_path(png).exists()
    assert np.count_nonzero(doc.mask) == 0
