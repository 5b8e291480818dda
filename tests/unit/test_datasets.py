"""Dataset readers: layouts, splits, lazy loading and reported (never silent) problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.data.datasets import DatasetError, SampleError, available_splits, detect_layout, open_dataset
from fosp_core.io.masks import read_mask


@pytest.fixture()
def demo_copy(tmp_path: Path, demo_dir: Path) -> Path:
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    return dst


def _smoke5k_from(demo: Path, root: Path) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    for jpg in sorted((demo / "JPEGImages").glob("*.jpg")):
        shutil.copy(jpg, root / "img" / jpg.name)
        mask = read_mask(demo / "SegmentationClass" / f"{jpg.stem}.png")
        Image.fromarray(mask * 255).save(root / "gt" / f"{jpg.stem}.png")
    return root


def test_demo_smokeseg(demo_dir: Path) -> None:
    ds = open_dataset(demo_dir, "val")
    assert ds.layout == "smokeseg" and ds.split == "val" and ds.has_labels
    assert len(ds) == 4 and not ds.skipped
    assert ds.ids == (demo_dir / "ImageSets/Segmentation/val.txt").read_text().split()
    sample = ds[0]
    assert sample.image.dtype == np.uint8 and sample.image.shape == (512, 512, 3)
    assert sample.mask.dtype == np.uint8 and set(np.unique(sample.mask)) <= {0, 1}
    assert sample.source == demo_dir / "JPEGImages" / f"{sample.id}.jpg"
    assert 0.005 < sample.smoke_ratio() < 0.025  # a real, small-to-medium plume
    np.testing.assert_array_equal(ds.load_mask(0), sample.mask)
    assert ds.get(ds.ids[2]).id == ds.ids[2]


def test_smokeseg_imagesets_folder_of_the_authors_release(demo_copy: Path) -> None:
    shutil.move(demo_copy / "ImageSets", demo_copy / "tmp")
    (demo_copy / "SmokeSeg_ImageSets").mkdir()
    shutil.move(demo_copy / "tmp" / "Segmentation", demo_copy / "SmokeSeg_ImageSets" / "Segmentation")
    ids = open_dataset(demo_copy).ids
    (demo_copy / "SmokeSeg_ImageSets/Segmentation/test_small.txt").write_text(ids[0] + "\n")
    assert set(available_splits(demo_copy)) == {"val", "test_small"}
    assert open_dataset(demo_copy, "test_small").ids == [ids[0]]
    assert len(open_dataset(demo_copy, "val")) == 4


def test_split_given_as_file(demo_copy: Path, tmp_path: Path) -> None:
    ids = open_dataset(demo_copy).ids
    txt = tmp_path / "mine.txt"
    txt.write_text(f"{ids[3]}\n\n  {ids[1]}  \n")
    ds = open_dataset(demo_copy, txt)
    assert ds.ids == [ids[3], ids[1]] and ds.split == "mine"


def test_unknown_split_lists_the_known_ones(demo_dir: Path) -> None:
    with pytest.raises(DatasetError, match="available: val"):
        open_dataset(demo_dir, "train")


def test_listed_but_absent_missing_mask_and_size_mismatch(demo_copy: Path) -> None:
    ids = open_dataset(demo_copy, "val").ids
    split = demo_copy / "ImageSets/Segmentation/val.txt"
    split.write_text(split.read_text() + "ghost_id\n")
    (demo_copy / "SegmentationClass" / f"{ids[0]}.png").unlink()
    small = read_mask(demo_copy / "SegmentationClass" / f"{ids[1]}.png")[:256, :256]
    Image.fromarray(small).save(demo_copy / "SegmentationClass" / f"{ids[1]}.png")

    with pytest.raises(DatasetError) as info:
        open_dataset(demo_copy, "val")
    assert ids[0] in str(info.value) and "no mask" in info.value.reason

    ds = open_dataset(demo_copy, "val", on_error="skip")
    reasons = dict(ds.skipped)
    assert set(reasons) == {ids[0], ids[1], "ghost_id"}
    assert "no mask" in reasons[ids[0]]
    assert "256x256" in reasons[ids[1]] and "512x512" in reasons[ids[1]]
    assert "no image" in reasons["ghost_id"]
    assert ds.ids == ids[2:]


def test_size_mismatch_found_on_load_when_not_checked(demo_copy: Path) -> None:
    ids = open_dataset(demo_copy).ids
    small = read_mask(demo_copy / "SegmentationClass" / f"{ids[1]}.png")[:100, :]
    Image.fromarray(small).save(demo_copy / "SegmentationClass" / f"{ids[1]}.png")
    ds = open_dataset(demo_copy, check_sizes=False)
    with pytest.raises(SampleError) as info:
        ds[1]
    assert info.value.id == ids[1] and "512x100" in info.value.reason


def test_corrupt_image_raises_sample_error_on_load(demo_copy: Path) -> None:
    ds = open_dataset(demo_copy)
    (demo_copy / "JPEGImages" / f"{ds.ids[2]}.jpg").write_bytes(b"\xff\xd8 broken")
    ds = open_dataset(demo_copy)  # opening reads headers only
    with pytest.raises(SampleError) as info:
        ds[2]
    assert info.value.id == ds.ids[2] and info.value.path.suffix == ".jpg"


def test_smoke5k_layout_reads_0_255_masks(tmp_path: Path, demo_dir: Path) -> None:
    root = _smoke5k_from(demo_dir, tmp_path / "s5k")
    assert detect_layout(root) == "smoke5k"
    ds = open_dataset(root)
    ref = open_dataset(demo_dir)
    assert sorted(ds.ids) == sorted(ref.ids) and ds.has_labels
    np.testing.assert_array_equal(ds.get(ref.ids[0]).mask, ref[0].mask)


def test_smoke5k_parent_with_train_and_test(tmp_path: Path, demo_dir: Path) -> None:
    _smoke5k_from(demo_dir, tmp_path / "SMOKE5K" / "train")
    test = tmp_path / "SMOKE5K" / "test"
    test.mkdir()
    shutil.move(tmp_path / "SMOKE5K/train/img", test / "img")
    shutil.move(tmp_path / "SMOKE5K/train/gt", test / "gt")
    (tmp_path / "SMOKE5K/train/img").mkdir()
    (tmp_path / "SMOKE5K/train/gt").mkdir()
    first = sorted((test / "img").iterdir())[0]
    shutil.move(first, tmp_path / "SMOKE5K/train/img" / first.name)
    shutil.move(test / "gt" / f"{first.stem}.png", tmp_path / "SMOKE5K/train/gt" / f"{first.stem}.png")
    assert len(open_dataset(tmp_path / "SMOKE5K", "test")) == 3
    assert open_dataset(tmp_path / "SMOKE5K", "train").ids == [first.stem]
    assert len(open_dataset(tmp_path / "SMOKE5K")) == 4


def test_plain_folder_is_unlabelled(demo_dir: Path) -> None:
    ds = open_dataset(demo_dir / "JPEGImages")
    assert ds.layout == "folder" and not ds.has_labels and len(ds) == 4
    sample = ds[1]
    assert sample.mask is None and sample.image.shape == (512, 512, 3)


def test_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no dataset found"):
        open_dataset(tmp_path)
    with pytest.raises(DatasetError, match="no such folder"):
        open_dataset(tmp_path / "nope")


def test_real_shared_datasets(shared_data: Path) -> None:
    seg = open_dataset(shared_data / "smokeseg-samples", "train")
    assert len(seg) == 20 and not seg.skipped
    s5k = open_dataset(shared_data / "smoke5k-train")
    assert s5k.layout == "smoke5k" and len(s5k) == 5053 and not s5k.skipped
    sample = s5k[0]
    assert sample.mask.shape == sample.image.shape[:2]
    assert set(np.unique(sample.mask)) <= {0, 1}
