"""A video frame's mask saved on each commit (QA, task F of session 27): a stroke's commit on a 4000×3000
clip held the GUI thread 118 ms, 89 of them in Pillow's PNG encode, which copied the whole mask twice.
`fosp_core.video.mask_png` encodes the same palette PNG (same pixels and palette, as Pillow, OpenCV and
read_mask read it) with no copy of the whole mask; the save's traced memory says so."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io.masks import VOC_PALETTE, MaskWriteError, encode_mask_png, read_mask
from fosp_core.video.mask_png import encode_frame_mask_png
from fosp_core.video.timeline import VideoAnnotations


@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (7, 1), (120, 160), (301, 4001)])
def test_the_png_is_the_smokeseg_palette_png(shape: tuple[int, int], tmp_path: Path) -> None:
    mask = np.random.default_rng(shape[1]).choice(np.array([0, 1, 255], np.uint8), size=shape)
    mask[0, 0] = 255
    data = encode_frame_mask_png(mask)
    with Image.open(io.BytesIO(data)) as ours, Image.open(io.BytesIO(encode_mask_png(mask))) as pillow:
        assert ours.mode == pillow.mode == "P" and ours.size == pillow.size
        assert ours.getpalette()[:768] == VOC_PALETTE[:768]
        np.testing.assert_array_equal(np.asarray(ours), mask)
        np.testing.assert_array_equal(np.asarray(ours.convert("RGB")), np.asarray(pillow.convert("RGB")))
    (tmp_path / "m.png").write_bytes(data)
    np.testing.assert_array_equal(read_mask(tmp_path / "m.png"), mask)
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert tuple(bgr[0, 0][::-1]) == tuple(VOC_PALETTE[255 * 3:255 * 3 + 3])


def test_bad_masks_are_refused_as_before() -> None:
    for bad in (np.full((4, 4), 2, np.uint8), np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4), np.int32)):
        with pytest.raises(MaskWriteError):
            encode_frame_mask_png(bad)


def test_a_frame_save_holds_no_copy_of_the_whole_mask(tmp_path: Path) -> None:
    shape = (3000, 4000)
    notes = VideoAnnotations(tmp_path / "clip.mp4", 3, shape, folder=tmp_path / "state")
    mask = np.zeros(shape, np.uint8)
    mask[1000:2000, 500:3500] = 1
    notes.save_mask(0, mask)  # the folder made, the state written: what is timed below is the mask's save
    mask[200:300, 100:900] = 255
    tracemalloc.start()
    try:
        notes.save_mask(0, mask)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.25 * mask.size, f"{peak / mask.size:.2f} bytes a pixel"  # Pillow's path: >= 1 (tobytes)
    np.testing.assert_array_equal(notes.load_mask(0), mask)
