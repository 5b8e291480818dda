"""Tiny image and mask files for the odd-dataset round trips (tests/unit/test_dataset_roundtrip_odd*.py).

Every image is ``H`` x ``W`` RGB noise drawn from its seed (one seed, one file's bytes: two calls with
a seed write the same JPEG, which the exact-duplicate tests rely on); every mask is a uint8 ``L`` PNG
(or whatever the suffix says) with one rectangle of ``value`` on zeros.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

H, W = 24, 32


def write_image(path: Path, seed: int) -> Path:
    """An ``H`` x ``W`` RGB noise image drawn from `seed`, saved at `path` (parents made); `path`."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(path, quality=95)
    return path


def write_mask(path: Path, value: int = 255, size: tuple[int, int] = (W, H)) -> Path:
    """A grey mask of `size` (width, height): zeros with rows 4:12, columns 6:20 at `value`; `path`."""
    m = np.zeros((size[1], size[0]), np.uint8)
    m[4:12, 6:20] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(m, "L").save(path)
    return path


def two_files_for_one_id(root: Path, images: str, masks: str) -> Path:
    """A dataset at `root` whose images lie in ``root/images`` and masks in ``root/masks``: r0
    labelled; x.jpg and x.png for one id x (one mask); y with y.png and y.bmp masks. `root`."""
    for k, name in enumerate(("r0.jpg", "x.jpg", "x.png", "y.jpg")):
        write_image(root / images / name, k)
    for name in ("r0.png", "x.png", "y.png", "y.bmp"):
        write_mask(root / masks / name)
    return root


def project_with_a_copy_split_apart(tmp_path: Path) -> tuple[Path, Path]:
    """(source, project folder): a SmokeSeg source of p0..p3 plus 'p1 copy' (p1's very bytes) whose split
    files put p1 in train and its copy in val, and its annotation project (closed) with every image's
    mask saved as edited."""
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.project import Project

    src = tmp_path / "src"
    for k in range(4):
        write_image(src / "JPEGImages" / f"p{k}.jpg", k)
        write_mask(src / "SegmentationClass" / f"p{k}.png", 1)
    (src / "JPEGImages" / "p1 copy.jpg").write_bytes((src / "JPEGImages" / "p1.jpg").read_bytes())
    write_mask(src / "SegmentationClass" / "p1 copy.png", 1)
    lists = src / "ImageSets" / "Segmentation"
    lists.mkdir(parents=True)
    (lists / "train.txt").write_text("p0\np1\np2\n", encoding="utf-8")
    (lists / "val.txt").write_text("p1 copy\np3\n", encoding="utf-8")
    with Project.open(src, tmp_path / "project") as opened:
        for image_id in opened.ids:
            mask = np.zeros((H, W), np.uint8)
            mask[2:9, 3:15] = 1
            opened.save_mask(image_id, mask, Status.EDITED)
    return src, tmp_path / "project"
