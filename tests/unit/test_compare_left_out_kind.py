"""Compare's sources line sorts the images left out for their ground truth by the reason's kind
(`Truth.kind`, `CompareRow.left_out`), not by a phrase inside the error's words: an image whose name
holds "cannot be read (" and whose label is of another size was said to be unreadable."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.analysis.compare import compare_images, truth_sources_line
from fosp_core.analysis.compare_truth import LeftOut, ground_truth


def _red(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0].astype(np.float32) / 255.0


def test_a_label_of_another_size_is_said_so_whatever_the_image_is_called(demo_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_dir, tmp_path / "d")
    images = sorted((tmp_path / "d" / "JPEGImages").glob("*.jpg"))
    odd = images[0].with_name("smoke cannot be read (2).jpg")
    images[0].rename(odd)
    labels = tmp_path / "d" / "SegmentationClass"
    (labels / f"{images[0].stem}.png").unlink()
    cv2.imwrite(str(labels / f"{odd.stem}.png"), np.zeros((7, 9), np.uint8))  # another size than the photo
    damaged = images[1]
    (labels / f"{damaged.stem}.png").write_bytes(b"not a png")
    shape = (7, 9)
    assert ground_truth(odd, (1, 1)).kind is LeftOut.SIZE
    assert ground_truth(damaged, shape).kind is LeftOut.UNREADABLE
    rows = list(compare_images([odd, damaged, images[2]], _red, _red))
    assert [r.left_out for r in rows] == [LeftOut.SIZE, LeftOut.UNREADABLE, None]
    assert truth_sources_line(rows) == (f"ground truth: 1 dataset label; left out (ground truth of another size): "
                                        f"{odd.name}; left out (ground truth cannot be read): {damaged.name}")
