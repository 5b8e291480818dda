"""What the video power-loss tests share (test_fuzz2_s37_video_*): a small frame shape, the disc painted on
frame 4, and how a video folder left by a kill or a power loss shows that frame when opened again."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def disc() -> np.ndarray:
    """The mask the tests paint on frame 4."""
    mask = np.zeros(SHAPE, np.uint8)
    mask[12:28, 12:28] = 1
    return mask


def frame_shown(video: Path, folder: Path) -> tuple[bool, bool]:
    """Frame 4 after opening `folder`: (marked edited, its mask the disc)."""
    notes = VideoAnnotations(video, 20, SHAPE, folder=folder)
    try:
        mask = notes.load_mask(4)
        return 4 in notes.edited, mask is not None and bool(np.array_equal(mask, disc()))
    finally:
        notes.stop_saves()
        notes.release_lock()
