"""A window opening the video it shows again (File ▸ Open Recent on it, Take Over…) prepares the new
opening on its opener thread while the shown one still writes: the two share the folder's lock (one
owner, `fosp_core.video.folder_lock`). The new opening reads the folder as a reader does: the recovery
logs it finds are the shown opening's saves under way, not a killed process's, and applying them there
raced the shown opening's save thread. Before, it applied them: it read a frame's log, the shown opening
saved a newer stroke meanwhile (its PNG written, its log removed), and it then wrote the older mask over
that PNG - the newer stroke gone from the disk, and 'Recovered the last edits' said of edits never lost.

The stand-in holding the new opening's recovery between its read and its write replaces the encoder where
the recovery looks it up (`fosp_core.video.log_recovery`, the code a reopening would run); until session 31
it replaced `frame_saves`' name, which the recovery never calls: the race never happened here (with the guard
removed, `FolderLock.read_only` not counting a joining opening, it failed on the words alone, the newer stroke
kept on disk). Now, with the guard removed, the newer stroke is lost (the pixel assert fails)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.save_worker import SaveJob
from fosp_core.video import frame_saves, log_recovery
from fosp_core.video.folder_lock import opening_for
from fosp_core.video.frame_files import read_saved
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def test_reopening_the_shown_video_leaves_its_saves_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = object()
    with opening_for(window):
        shown = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    shown.save_in_background = True
    held, real_write = threading.Event(), frame_saves._write_frame

    def write(job: SaveJob) -> None:  # the shown opening's save thread, held until told
        held.wait(10)
        real_write(job)

    monkeypatch.setattr(frame_saves, "_write_frame", write)
    doc = shown.document(4)
    first = np.zeros(SHAPE, np.uint8)
    first[5:10, 5:10] = 1
    assert doc.replace_mask(first)  # its record in the log, its PNG queued (held)

    recovering, go_on = threading.Event(), threading.Event()
    real_encode = log_recovery.encode_frame_mask_png
    reopening: list[threading.Thread] = []

    def encode(mask: np.ndarray) -> bytes:  # the new opening's recovery, held between its read and its write
        if threading.current_thread() in reopening:
            recovering.set()
            go_on.wait(10)
        return real_encode(mask)

    monkeypatch.setattr(log_recovery, "encode_frame_mask_png", encode)  # where the recovery looks it up
    opened: list[VideoAnnotations] = []

    def reopen() -> None:
        with opening_for(window):
            opened.append(VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state"))

    reopening.append(threading.Thread(target=reopen))
    reopening[0].start()
    while reopening[0].is_alive() and not recovering.is_set():
        reopening[0].join(0.01)
    second = first.copy()
    second[30:40, 30:40] = 1
    assert doc.replace_mask(second)  # a stroke meanwhile on the shown video
    held.set()
    shown.finish_saves(wait=True)  # written: its PNG holds it, its log gone
    go_on.set()
    reopening[0].join()
    again = opened[0]
    saved = read_saved(shown.mask_path(4))
    assert saved is not None and saved[35, 35] == 1  # before: the older mask written over it
    assert not any("ecovered" in w for w in again.warnings)
    assert not recovering.is_set()  # the reopening never reached the recovery's write
    again.release_lock()
    shown.stop_saves()
    shown.release_lock()
