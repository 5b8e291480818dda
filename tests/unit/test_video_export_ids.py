"""Exporting the frames of a video whose file name is no valid SmokeSeg id as it is (white space, a
leading dot): the ids are made valid, as the image export does, instead of the whole export failing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.datasets import open_dataset
from fosp_core.video.export import export_frames
from fosp_core.video.reader import open_video
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


@pytest.mark.parametrize(("name", "stem"), [("my clip (1).mp4", "my_clip_(1)"), ("VID 2024\t01.mp4", "VID_2024_01"),
                                            (".hidden clip.mp4", "hidden_clip"), ("clip.mp4", "clip")])
def test_a_video_named_with_spaces_exports(tmp_path: Path, name: str, stem: str) -> None:
    """'VID 20240101 1200.mp4', 'Camera 1.mp4': every frame's id had the name's space in it and the
    export failed as a whole ('ids must not contain white space')."""
    clip = write_clip(tmp_path / name, frames=6)
    reader = open_video(clip)
    try:
        notes = VideoAnnotations(clip, reader.meta.frame_count, (reader.meta.height, reader.meta.width),
                                 folder=tmp_path / "state")
        mask = np.zeros(notes.shape, np.uint8)
        mask[10:30, 20:50] = 1
        for frame in (2, 4):
            notes.save_mask(frame, mask)
        report = export_frames(reader, notes, [2, 4], tmp_path / "out")
    finally:
        reader.close()
    assert report.frames == [2, 4]
    dataset = open_dataset(tmp_path / "out")
    assert dataset.ids == [f"{stem}_000002", f"{stem}_000004"]
    assert all((sample.mask == mask).all() for sample in dataset)


def test_an_export_of_nothing_says_why_each_frame_was_left_out(tmp_path: Path) -> None:
    """Frames with a mask but no decodable picture made the export fail with 'none of the chosen frames
    has a mask to export', which the user could see was wrong (the masks were there)."""
    from fosp_core.video.testclip import corrupt_mjpeg_frames

    good = write_clip(tmp_path / "good.avi", frames=8, fourcc="MJPG")
    clip = corrupt_mjpeg_frames(good, [4], tmp_path / "clip.avi")
    reader = open_video(clip, cache_bytes=0, decoders=1)
    try:
        notes = VideoAnnotations(clip, reader.meta.frame_count, (reader.meta.height, reader.meta.width),
                                 folder=tmp_path / "state")
        mask = np.zeros(notes.shape, np.uint8)
        mask[10:30, 20:50] = 1
        notes.save_mask(4, mask)
        with pytest.raises(ValueError, match="none of the chosen frames can be exported") as caught:
            export_frames(reader, notes, [4, 6], tmp_path / "out")
    finally:
        reader.close()
    message = str(caught.value)
    assert "frame 4: the frame could not be decoded" in message and "frame 6: no mask" in message
    assert not (tmp_path / "out").exists()
