"""A video named near the 255-byte limit exports to the folder the Export frames dialog suggests, and again
over it (Replace): ``<stem>-smokeseg``, the frames' ``<stem>_<frame:06d>.jpg``/``.png`` and the writer's
hidden ``.DST.tmp-…``/``.DST.old-…`` folders all fit in a file name. They do because the video's stem
(`VideoAnnotations.stem`, `fosp_core.video.timeline.frame_stem`) is already cut so that a frame's recovery
log ``<stem>_000000.png.recovery`` (20 bytes after the stem) fits, and the writer cuts its working folders
(`fosp_core.data.smokeseg_debris`, `fit_name`). A guard: this passed before it was written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.video.exporting import default_destination
from fosp_core.io.long_names import NAME_MAX, name_bytes
from fosp_core.video.export import export_frames
from fosp_core.video.reader import open_video, wait_for_index
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations, own_folder

FRAMES = [0, 3]


@pytest.mark.parametrize("stem", ["v" * 251, "v" * 240, "\U0001f525" * 62])
def test_a_long_named_video_exports_to_its_suggested_folder(tmp_path: Path, stem: str) -> None:
    video = write_clip(tmp_path / f"{stem}.mp4", frames=6)
    reader = open_video(video)
    assert wait_for_index(reader, lambda: True)
    notes = VideoAnnotations(video, 6, reader.read(0).shape[:2], folder=own_folder(tmp_path / "project", video))
    try:
        mask = np.zeros(notes.shape, np.uint8)
        mask[4:12, 4:12] = 1
        for frame in FRAMES:
            notes.save_mask(frame, mask)
        dst = default_destination(notes)
        assert dst.parent == tmp_path and name_bytes(dst.name) <= NAME_MAX
        for overwrite in (False, True):  # the second replaces the first (its .old- folder)
            report = export_frames(reader, notes, FRAMES, dst, splits=None, overwrite=overwrite)
            assert report.frames == FRAMES and report.skipped == []
        written = [p.name for p in dst.rglob("*") if p.is_file()]
        assert len([n for n in written if n.endswith((".jpg", ".png"))]) == 2 * len(FRAMES)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([video.name, "project", dst.name])
    finally:
        notes.stop_saves()
        reader.close()
