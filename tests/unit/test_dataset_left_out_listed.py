"""An id a split file lists that opening leaves out for its files (two files for one id, two masks,
a broken link) is named once, for that reason: not also as "listed, but no image"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.data.datasets import open_dataset


def _save(path: Path, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


def _smokeseg(root: Path) -> Path:
    """r0 fine; x.jpg + x.png; y with y.png + y.bmp masks; z.jpg a broken link; all in train.txt."""
    rgb, mask = np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8)
    for name in ("r0.jpg", "x.jpg", "x.png", "y.jpg"):
        _save(root / "JPEGImages" / name, rgb)
    for name in ("r0.png", "x.png", "y.png", "y.bmp", "z.png"):
        _save(root / "SegmentationClass" / name, mask)
    (root / "JPEGImages" / "z.jpg").symlink_to(root / "nowhere.jpg")
    lists = root / "ImageSets" / "Segmentation"
    lists.mkdir(parents=True)
    (lists / "train.txt").write_text("r0\nx\ny\nz\n", encoding="utf-8")
    return root


def _smoke5k(root: Path) -> Path:
    rgb, mask = np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8)
    for name in ("r0.jpg", "x.jpg", "x.png"):
        _save(root / "train" / "img" / name, rgb)
    for name in ("r0.png", "x.png"):
        _save(root / "train" / "gt" / name, mask)
    (root / "train.txt").write_text("r0\nx\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("make, split, left", [(_smokeseg, "train", ["x", "y", "z"]),
                                               (_smoke5k, "train.txt", ["x"])])
def test_a_listed_id_left_out_for_its_files_is_named_once(tmp_path: Path, make, split, left) -> None:  # noqa: ANN001
    root = make(tmp_path / "ds")
    split_arg = root / split if split.endswith(".txt") else split
    dataset = open_dataset(root, split_arg, on_error="skip", check_sizes=False)
    assert dataset.ids == ["r0"]
    assert sorted(i for i, _ in dataset.skipped) == left  # was each twice
    assert not [r for _, r in dataset.skipped if "listed, but no image" in r]
