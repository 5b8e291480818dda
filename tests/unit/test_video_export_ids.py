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
