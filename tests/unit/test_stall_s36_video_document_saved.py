"""`VideoAnnotations.document` read the frame's mask file itself (on the caller's thread: the app's GUI thread).
It now says beforehand whether it would (`reads_mask_file`: a mask file known, no document of the frame kept)
and takes the mask read elsewhere (`saved`, `load_mask`'s answer read off the GUI thread), reading nothing then.
No Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.timeline import VideoAnnotations

SHAPE = (24, 32)


def _blob() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:12, 6:20] = 1
    return mask


def test_a_mask_read_elsewhere_opens_the_document_without_reading(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = VideoAnnotations(tmp_path / "clip.mp4", 5, SHAPE, folder=tmp_path / "state")
    first.save_mask(2, _blob())
    first.release_lock()
    notes = VideoAnnotations(tmp_path / "clip.mp4", 5, SHAPE, folder=tmp_path / "state")
    assert notes.reads_mask_file(2) and not notes.reads_mask_file(1)  # frame 1 has no mask file: nothing to read
    saved = notes.load_mask(2)
    assert saved is not None
    reads: list[int] = []
    monkeypatch.setattr(VideoAnnotations, "load_mask", lambda self, i: reads.append(i))
    doc = notes.document(2, saved=saved)
    assert reads == []  # was: read again here
    np.testing.assert_array_equal(doc.mask, _blob())
    assert not notes.reads_mask_file(2)  # kept: given back as it is
    assert notes.document(2, saved=None) is doc and reads == []
    assert notes.document(3, saved=np.ones((2, 2), np.uint8)).mask.sum() == 0  # another size: as no mask
    doc.replace_mask(np.zeros(SHAPE, np.uint8), label="erase")  # saves itself as a document read here does
    monkeypatch.undo()
    assert notes.load_mask(2) is not None and not notes.load_mask(2).any()
    notes.release_lock()
