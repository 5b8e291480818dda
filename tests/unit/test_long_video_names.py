"""Videos named near the 255-byte limit of a file name (real files): the annotation folder
``video-<stem>`` and the frame masks ``<stem>_<frame:06d>.png`` with their recovery logs were longer than
a name may be, so nothing of such a video could be saved ("File name too long"); and for stems a little
shorter the frame masks fitted but their logs did not. The frame stem is cut to a short form
(`fosp_core.io.long_names`) where the old names would not all fit; a stem whose names fit keeps them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.io.long_names import NAME_MAX, name_bytes
from fosp_core.video.timeline import VideoAnnotations, own_folder

SHAPE = (24, 32)


def _disc() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:12, 4:12] = 1
    return mask


@pytest.mark.parametrize("stem", ["v" * 251, "v" * 240, "\U0001f525" * 62])
def test_frames_of_a_long_named_video_are_saved_and_recovered(tmp_path: Path, stem: str) -> None:
    video = tmp_path / f"{stem}.mp4"
    folder = own_folder(tmp_path / "project", video)
    assert name_bytes(folder.name) <= NAME_MAX
    notes = VideoAnnotations(video, 20, SHAPE, folder=folder)
    doc = notes.document(3)
    assert doc.replace_mask(_disc())
    notes.finish_saves(wait=True)
    assert notes.last_error is None and notes.mask_path(3).is_file()
    notes.stop_saves()
    log = log_path(notes.mask_path(5))
    log.write_bytes(encode_record(_disc(), (0, SHAPE[0], 0, SHAPE[1]), "edited"))  # a crash's log
    again = VideoAnnotations(video, 20, SHAPE, folder=folder)
    assert np.array_equal(again.load_mask(5), _disc()) and np.array_equal(again.load_mask(3), _disc())
    assert not log.exists()
    names = [p.name for p in (folder / "masks").iterdir()]
    assert len(names) == 2 and all(name_bytes(n) <= NAME_MAX for n in names)
    again.stop_saves()


def test_a_short_stem_keeps_its_names(tmp_path: Path) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    assert notes.mask_path(7).name == "cam_000007.png"
    notes.stop_saves()
