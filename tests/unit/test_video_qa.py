"""QA of the video annotation state (`fosp_core.video.timeline`): undo kept per frame, crash safety."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.data.types import SMOKE
from fosp_core.video.timeline import RECENT_DOCUMENTS, VideoAnnotations


def _notes(tmp_path: Path, frames: int = 40) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "clip.mp4", frames, (12, 16), folder=tmp_path / "state")


def _paint(notes: VideoAnnotations, index: int) -> None:
    doc = notes.document(index)
    mask = doc.mask.copy()
    mask[2:6, 3:9] = SMOKE
    doc.replace_mask(mask, label="paint")


def test_recent_frames_keep_their_undo_history_and_only_a_few_are_kept(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    _paint(notes, 0)
    doc = notes.document(0)
    assert notes.document(1) is not doc and notes.document(0) is doc and doc.can_undo
    prob = np.full((12, 16), 0.7, np.float32)
    assert notes.document(0, prob).probability is not None
    assert notes.document(0).probability is None  # never a stale map from before
    for i in range(1, RECENT_DOCUMENTS + 1):
        notes.document(i)
    again = notes.document(0)  # forgotten: opened from its saved mask, without history
    assert again is not doc and not again.can_undo and (again.mask == SMOKE).sum() == 24
