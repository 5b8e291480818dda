"""QA of the data layer as a researcher's own data meets it: mask encodings that cannot be smoke masks,
and masks that stay aligned with their images through every resize (augmentation, export)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.data.augment import TrainAugment, random_resize
from fosp_core.data.datasets import SampleError, open_dataset
from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.types import Sample
from fosp_core.io.masks import MaskReadError, read_mask


def _blocks(h: int, w: int) -> np.ndarray:
    """uint8 0/1 mask of a few off-centre rectangles (no symmetry a shift could hide in)."""
    mask = np.zeros((h, w), np.uint8)
    mask[h // 5: h // 2, int(w * 0.55): int(w * 0.8)] = 1
    mask[int(h * 0.7): int(h * 0.9), w // 10: w // 3] = 1
    return mask


def _centroid(a: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(a)
    return np.array([ys.mean(), xs.mean()])


# ------------------------------------------------------------------------------ mask encodings


@pytest.mark.parametrize("values, dtype", [((0, 1, 2), np.uint8), ((0, 2), np.uint8), ((0, 100), np.uint8),
                                           ((0, 1000), np.uint16)])
def test_grayscale_mask_whose_values_never_reach_smoke_is_an_error(tmp_path: Path, values: tuple[int, ...],
                                                                   dtype: type) -> None:
    # Class indices stored as grayscale (0 background, 1 and 2 two classes) or a 16-bit 0/1000 mask
    # used to read as an all-background mask: the smoke silently vanished from training and metrics.
    mask = np.zeros((20, 30), dtype)
    mask[5:10, 10:20] = values[1]
    mask[12:15, 2:5] = values[-1]
    path = tmp_path / "m.png"
    Image.fromarray(mask).save(path)
    with pytest.raises(MaskReadError, match="below") as info:
        read_mask(path)
    assert info.value.path == path


def test_dataset_with_class_index_masks_names_the_sample(tmp_path: Path) -> None:
    root = tmp_path / "voc"
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    Image.fromarray(np.full((20, 30, 3), 90, np.uint8)).save(root / "JPEGImages" / "a.jpg")
    Image.fromarray(_blocks(20, 30) * 2).save(root / "SegmentationClass" / "a.png")  # L, values 0/2
    dataset = open_dataset(root)
    with pytest.raises(SampleError, match="'a'"):
        dataset[0]


@pytest.mark.parametrize("encoding", ["soft", "0/255", "0/1/255", "16bit-0/65535"])
def test_usual_grayscale_encodings_still_read(tmp_path: Path, encoding: str) -> None:
    binary = _blocks(40, 60)
    if encoding == "soft":
        arr = (binary * 200 + 20).astype(np.uint8)
    elif encoding == "0/255":
        arr = binary * 255
    elif encoding == "0/1/255":
        arr = binary.copy()
        arr[0, :] = 255
    else:
        arr = binary.astype(np.uint16) * 65535
    Image.fromarray(arr).save(tmp_path / "m.png")
    got = read_mask(tmp_path / "m.png")
    np.testing.assert_array_equal(got == 1, binary == 1)


# ------------------------------------------------------------------------------ alignment


@pytest.mark.parametrize("ratio", [0.37, 0.61, 1.3, 1.77])
def test_random_resize_keeps_the_mask_on_its_image(ratio: float) -> None:
    # The image is drawn from the mask (smoke white, background black), so after the resize the
    # mask's smoke must sit where the image is bright. INTER_NEAREST (top-left sampling) put the mask
    # up to a pixel below/right of its bilinear-resized image at ratios like 0.37.
    mask = _blocks(480, 640)
    image = np.repeat((mask * 255)[:, :, None], 3, axis=2)
    rng = np.random.default_rng(0)
    img2, mask2 = random_resize(image, mask, rng, scale=None, ratio_range=(ratio, ratio))
    assert img2.shape[:2] == mask2.shape
    shift = _centroid(mask2 == 1) - _centroid(img2[..., 0] >= 128)
    assert np.abs(shift).max() < 0.25, shift


def test_train_augment_output_is_aligned_exact_sized_and_deterministic() -> None:
    mask = _blocks(300, 420)
    mask[:12, :40] = 255  # an ignore band must stay 255
    image = np.repeat(np.where(mask == 1, 255, 0).astype(np.uint8)[:, :, None], 3, axis=2)
    aug = TrainAugment(crop_size=(160, 224), photometric=False, cat_max_ratio=1.0)
    for seed in range(30):
        a, m = aug(image, mask, np.random.default_rng(seed))
        a2, m2 = aug(image, mask, np.random.default_rng(seed))
        np.testing.assert_array_equal(a, a2)
        np.testing.assert_array_equal(m, m2)
        assert a.shape == (160, 224, 3) and m.shape == (160, 224)
        assert set(np.unique(m).tolist()) <= {0, 1, 255}
        labelled = m != 255
        disagree = ((a[..., 0] >= 128) != (m == 1)) & labelled
        # bilinear vs nearest may differ on the boundary pixel, never beyond it
        assert not cv2.erode(disagree.astype(np.uint8), np.ones((3, 3), np.uint8)).any(), seed


def test_export_resize_keeps_the_mask_on_its_image(tmp_path: Path) -> None:
    mask = _blocks(777, 1031)
    image = np.repeat((mask * 255)[:, :, None], 3, axis=2)
    dst = write_smokeseg([Sample("a", image, mask)], tmp_path / "out", resize_to=256)
    got_mask = read_mask(dst / "SegmentationClass" / "a.png")
    got_image = np.asarray(Image.open(dst / "JPEGImages" / "a.jpg").convert("L"))
    shift = _centroid(got_mask == 1) - _centroid(got_image >= 128)
    assert np.abs(shift).max() < 0.25, shift


# ------------------------------------------------------------------------------ scene split


def _smoke5k(root: Path, names: list[str]) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    rng = np.random.default_rng(0)
    for name in names:  # independent noise: no two views look alike (rule 3 links nothing)
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(root / "img" / name)
    return root


def test_scene_split_keeps_one_fire_seen_by_several_cameras_on_one_side(tmp_path: Path) -> None:
    # FIgLib offsets are counted per camera: the SmokeSeg ids of 20200829_inside-Mexico from cameras
    # cp, mlo and pi give time - offset 1598723816, 1598723483 and 1598722807, so rule 1 made three
    # scenes of one fire and the split could put its cameras on both sides.
    from fosp_core.data.splits import smoke5k_scene_split

    names = []
    for f in range(8):
        for c, (t, off) in enumerate([(1598724896, 1080), (1598725143, 1660), (1598724727, 1920)]):
            names.append(f"2020082{f}_fire{f}_cam{c}-s-mobo-c__{t + 86400 * f}_+{off:05d}.jpg")
    split = smoke5k_scene_split(_smoke5k(tmp_path / "s5k", names), val_fraction=0.3, seed=0)
    assert split.val and split.train
    for f in range(8):
        members = [n[:-4] for n in names if n.startswith(f"2020082{f}_")]
        assert len({split.scene_of[n] for n in members}) == 1
        sides = {"val" if n in split.val else "train" for n in members}
        assert len(sides) == 1, (f, sides)


def test_scene_split_forces_a_fire_named_by_another_camera(tmp_path: Path) -> None:
    from fosp_core.data.splits import smoke5k_scene_split

    names = [f"2020090{f}_Fire{f}_cam-a__{1599342149 + 86400 * f}_+00780.jpg" for f in range(6)]
    split = smoke5k_scene_split(_smoke5k(tmp_path / "s5k", names), val_fraction=0.2, seed=0,
                                force_val_fires=["20200903_Fire3_cam-b__1599601109_+00300"])
    assert "20200903_Fire3_cam-a__1599601349_+00780" in split.val


def test_scene_split_reads_upper_case_extensions_and_no_real_images(tmp_path: Path) -> None:
    from fosp_core.data.splits import smoke5k_scene_split

    # image_path() knew .jpg/.jpeg/.png/.JPG only: a.PNG was listed, then FileNotFoundError
    split = smoke5k_scene_split(_smoke5k(tmp_path / "a", ["a.PNG", "b.JPEG", "c.jpg", "d.Jpg"]), 0.5)
    assert sorted(split.train + split.val + split.buffer) == ["a", "b", "c", "d"]
    # only synthetic names: "need at least one array to stack" from numpy
    split = smoke5k_scene_split(_smoke5k(tmp_path / "b", ["1_2.jpg", "3_4.jpg"]), 0.5)
    assert split.synthetic == ["1_2", "3_4"] and split.val == split.train == []


def test_jpeg_masks_are_named_not_reported_missing(tmp_path: Path) -> None:
    # gt/x.jpg sat there and the error said only "no mask in gt/"
    root = tmp_path / "s5k"
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    Image.fromarray(np.full((20, 30, 3), 90, np.uint8)).save(root / "img" / "x.jpg")
    Image.fromarray(_blocks(20, 30) * 255).save(root / "gt" / "x.jpg")
    with pytest.raises(Exception, match=r"x\.jpg is not a mask format"):
        open_dataset(root)
    assert "x.jpg is not a mask format" in open_dataset(root, on_error="skip").skipped[0][1]
