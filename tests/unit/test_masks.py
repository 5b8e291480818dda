"""Mask files: every usual encoding reads to 0/1/255; SmokeSeg palette PNGs are written byte-exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.io.masks import (
    IGNORE_COLOR,
    VOC_PALETTE,
    MaskReadError,
    MaskWriteError,
    encode_mask_png,
    read_mask,
    write_mask_png,
)


@pytest.fixture(scope="module")
def real_mask(demo_dir: Path) -> np.ndarray:
    """A real SmokeSeg mask (0/1), with an ignore band painted along its smoke edge."""
    path = sorted((demo_dir / "SegmentationClass").glob("*.png"))[0]
    mask = read_mask(path).copy()
    ys, xs = np.nonzero(mask == 1)
    mask[ys.min(), xs.min():xs.max()] = 255
    return mask


def test_real_smokeseg_masks_are_0_1_and_reencode_to_identical_bytes(demo_dir: Path) -> None:
    for path in sorted((demo_dir / "SegmentationClass").glob("*.png")):
        mask = read_mask(path)
        assert mask.dtype == np.uint8 and mask.shape == (512, 512)
        assert set(np.unique(mask)) == {0, 1}
        assert encode_mask_png(mask) == path.read_bytes()


def test_voc_palette_matches_smokeseg() -> None:
    assert len(VOC_PALETTE) == 768
    assert VOC_PALETTE[:6] == [0, 0, 0, 128, 0, 0]
    assert tuple(VOC_PALETTE[-3:]) == IGNORE_COLOR == (224, 224, 192)


def test_written_png_is_palette_with_indices(tmp_path: Path, real_mask: np.ndarray) -> None:
    path = write_mask_png(tmp_path / "m.png", real_mask)
    with Image.open(path) as im:
        assert im.mode == "P"
        assert im.getpalette()[:6] == [0, 0, 0, 128, 0, 0]
        np.testing.assert_array_equal(np.asarray(im), real_mask)
    np.testing.assert_array_equal(read_mask(path), real_mask)
    assert [p.name for p in tmp_path.iterdir()] == ["m.png"]  # no temp file left


@pytest.mark.parametrize("encoding", ["0/255", "0/1", "0/1/255", "rgb-voc", "rgb-gray", "16bit", "soft"])
def test_encodings_decode_to_the_same_mask(tmp_path: Path, real_mask: np.ndarray, encoding: str) -> None:
    binary = np.where(real_mask == 255, 0, real_mask).astype(np.uint8)  # encodings without ignore
    expected = binary
    if encoding == "0/255":
        Image.fromarray(binary * 255).save(tmp_path / "m.png")
    elif encoding == "0/1":
        Image.fromarray(binary).save(tmp_path / "m.png")
    elif encoding == "0/1/255":
        Image.fromarray(real_mask).save(tmp_path / "m.png")
        expected = real_mask
    elif encoding == "rgb-voc":
        rgb = np.zeros((*real_mask.shape, 3), np.uint8)
        rgb[real_mask == 1] = (128, 0, 0)
        rgb[real_mask == 255] = IGNORE_COLOR
        Image.fromarray(rgb).save(tmp_path / "m.png")
        expected = real_mask
    elif encoding == "rgb-gray":
        Image.fromarray(np.repeat((binary * 255)[..., None], 3, axis=2)).save(tmp_path / "m.png")
    elif encoding == "16bit":
        Image.fromarray(binary.astype(np.uint16) * 65535).save(tmp_path / "m.png")
    elif encoding == "soft":
        soft = (binary * 200 + 20).astype(np.uint8)  # 20 background, 220 smoke
        Image.fromarray(soft).save(tmp_path / "m.png")
    np.testing.assert_array_equal(read_mask(tmp_path / "m.png"), expected)


def test_colour_mask_with_chosen_smoke_colour(tmp_path: Path, real_mask: np.ndarray) -> None:
    rgb = np.zeros((*real_mask.shape, 3), np.uint8)
    rgb[real_mask == 1] = (0, 255, 0)
    rgb[:5, :5] = (0, 0, 255)  # a second colour
    Image.fromarray(rgb).save(tmp_path / "m.png")
    with pytest.raises(MaskReadError, match="pass smoke_color"):
        read_mask(tmp_path / "m.png")
    rgb[:5, :5] = 0
    Image.fromarray(rgb).save(tmp_path / "m.png")
    got = read_mask(tmp_path / "m.png", smoke_color=(0, 255, 0))
    np.testing.assert_array_equal(got, (real_mask == 1).astype(np.uint8))
    with pytest.raises(MaskReadError, match="other than"):
        read_mask(tmp_path / "m.png", smoke_color=(128, 0, 0))


def test_palette_with_other_class_indices_is_an_error(tmp_path: Path) -> None:
    arr = np.zeros((8, 8), np.uint8)
    arr[2, 2] = 7
    im = Image.frombytes("P", (8, 8), arr.tobytes())
    im.putpalette(VOC_PALETTE)
    im.save(tmp_path / "voc.png")
    with pytest.raises(MaskReadError) as info:
        read_mask(tmp_path / "voc.png")
    assert info.value.path == tmp_path / "voc.png" and "7" in info.value.reason


def test_unreadable_files_name_path_and_reason(tmp_path: Path) -> None:
    with pytest.raises(MaskReadError, match="not found"):
        read_mask(tmp_path / "absent.png")
    (tmp_path / "junk.png").write_bytes(b"not a png")
    with pytest.raises(MaskReadError) as info:
        read_mask(tmp_path / "junk.png")
    assert info.value.path.name == "junk.png"


@pytest.mark.parametrize("bad", [np.full((4, 4), 2, np.uint8), np.zeros((4, 4, 3), np.uint8),
                                 np.zeros((4, 4), np.float32)])
def test_write_rejects_bad_masks(tmp_path: Path, bad: np.ndarray) -> None:
    with pytest.raises(MaskWriteError):
        write_mask_png(tmp_path / "m.png", bad)
    assert not any(tmp_path.iterdir())


def test_smoke5k_masks_read_as_0_1(shared_data: Path) -> None:
    gts = sorted((shared_data / "smoke5k-train" / "gt").glob("*.png"))[:5]
    for path in gts:
        raw = np.asarray(Image.open(path))
        mask = read_mask(path)
        np.testing.assert_array_equal(mask, (raw == 255).astype(np.uint8))
