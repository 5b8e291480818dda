"""The first commit on a frame's document hands the save thread the rectangle it changed, not a copy of the
whole mask (`fosp_core.video.frame_saves`): the mask the document opened with (read from disk, no one
else's) or an all-background one is the thread's base. The PNG written is the commit's whole mask."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.save_worker import MaskSaver
from fosp_core.io.masks import read_mask
from fosp_core.video.state_saves import StateJob
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (480, 640)
RECT = (40, 44, 50, 60)


def _disc() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[100:200, 100:200] = 1
    mask[300:320, 10:600] = 255
    return mask


@pytest.mark.parametrize("saved", [True, False])
def test_the_first_commit_copies_its_rectangle_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    saved: bool) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    if saved:
        notes.save_mask(6, _disc())  # a frame with a saved mask (inline), opened next
    notes.save_in_background = True
    doc = notes.document(6)
    submitted: list[tuple[bool, list[object]]] = []  # (a whole mask handed over, the patches' rectangles)
    notes.finish_saves()
    real_record = notes.record_commit

    real_submit = MaskSaver.submit
    monkeypatch.setattr(MaskSaver, "submit", lambda saver, job: (  # the frame's jobs (not video.json's)
        isinstance(job, StateJob) or submitted.append((job.parts.base is not None, [r for r, _ in job.parts.patches])),
        real_submit(saver, job))[1])

    def record(*args: object) -> None:
        tracemalloc.start()
        try:
            real_record(*args)  # type: ignore[arg-type]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        if saved:  # no copy of the mask (the empty frame's base is calloc'ed: nothing copied, nothing touched)
            assert peak < SHAPE[0] * SHAPE[1] // 4, peak

    monkeypatch.setattr(notes, "record_commit", record)
    with doc.modify(RECT) as region:
        assert region is not None
        region[:] = 255
    notes.finish_saves(wait=True)
    assert submitted == [(True, [RECT])]  # the opening's mask as the base, the rectangle over it
    expected = _disc() if saved else np.zeros(SHAPE, np.uint8)
    expected[RECT[0]:RECT[1], RECT[2]:RECT[3]] = 255
    np.testing.assert_array_equal(read_mask(notes.mask_path(6)), expected)
    with doc.modify((0, 5, 0, 5)) as region:  # the next: its rectangle over the thread's copy, as before
        assert region is not None
        region[:] = 1
    notes.finish_saves(wait=True)
    expected[0:5, 0:5] = 1
    np.testing.assert_array_equal(read_mask(notes.mask_path(6)), expected)
    assert submitted[1] == (False, [(0, 5, 0, 5)])
    notes.stop_saves()


def test_a_commit_that_hands_the_whole_mask_over_copies_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a failed save the next commit hands the whole mask over (the thread's copy is not trusted): one
    copy of it, not a copy of its rectangle (here the whole frame) as well."""
    from fosp_core.annotation.save_worker import SaveJob
    from fosp_core.video import frame_saves

    failing = {"on": True}
    real = frame_saves._write_frame

    def write(job: SaveJob) -> None:
        if failing["on"]:
            job.error = frame_saves.ProjectSaveError(job.path, "cannot save: disk full")
            return
        real(job)

    monkeypatch.setattr(frame_saves, "_write_frame", write)
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_in_background = True
    doc = notes.document(2)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    assert notes.failed == {2}
    failing["on"] = False
    peaks: list[int] = []
    real_record = notes.record_commit

    def record(*args: object) -> None:
        tracemalloc.start()
        try:
            real_record(*args)  # type: ignore[arg-type]
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()

    monkeypatch.setattr(notes, "record_commit", record)
    whole = np.full(SHAPE, 255, np.uint8)
    assert doc.replace_mask(whole)  # every pixel changed: its rectangle is the whole frame
    notes.finish_saves(wait=True)
    assert len(peaks) == 1 and SHAPE[0] * SHAPE[1] <= peaks[0] < 1.5 * SHAPE[0] * SHAPE[1], peaks
    np.testing.assert_array_equal(read_mask(notes.mask_path(2)), whole)
    notes.stop_saves()
