"""An image file resized on disk after its mask was drawn (2f99f5b, c684fff): besides opening it (no
document, `MaskSizeError`), no other path writes over its mask file - a model's prediction at the new size
(`set_prediction`: a mask only for an unlabeled image, and `save_mask` refuses one of another size than the
entry's), Import Labels of masks at the new size (refused as the wrong size, `overwrite` or not), and the
mask file's bytes stay as they were. Opening it with the new size raises before anything is written."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.mask_size import MaskSizeError
from fosp_core.annotation.project import Project
from tests.unit.crash_disk import make_images


def _resized(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, tuple[int, int]]]:
    """A project whose two images have masks (edited, predicted), their files then resized; the masks'
    bytes and the images' new (H, W)."""
    images = make_images(tmp_path / "images", seed=4, count=2)
    with Project.open(images) as project:
        for image_id, status in zip(project.ids, ["edited", "predicted"], strict=True):
            h, w = cv2.imread(str(project.image_path(image_id))).shape[:2]
            mask = np.zeros((h, w), np.uint8)
            mask[: h // 2, : w // 2] = 1
            mask[-3:, -3:] = 255
            project.save_mask(image_id, mask, status)
        before = {i: project.mask_path(i).read_bytes() for i in project.ids}
        sizes = {}
        for image_id in project.ids:
            image = cv2.imread(str(project.image_path(image_id)))
            h, w = image.shape[:2]
            cv2.imwrite(str(project.image_path(image_id)), cv2.resize(image, (w + 9, h + 5)))
            sizes[image_id] = (h + 5, w + 9)
    return images, before, sizes


def test_a_prediction_at_the_new_size_keeps_the_mask_file(tmp_path: Path) -> None:
    images, before, sizes = _resized(tmp_path)
    with Project.open(images) as project:
        for image_id in project.ids:
            probability = np.full(sizes[image_id], 0.9, np.float32)
            project.set_prediction(image_id, probability)  # labelled: its summary alone
            assert project.mask_path(image_id).read_bytes() == before[image_id]
        image_id = project.ids[1]
        project.set_status(image_id, "unlabeled")  # unlabeled, its mask file kept: the prediction would be its mask
        with pytest.raises(ProjectSaveError, match="mask is"):
            project.set_prediction(image_id, np.full(sizes[image_id], 0.9, np.float32))
        assert project.mask_path(image_id).read_bytes() == before[image_id]
        with pytest.raises(MaskSizeError):
            project.open_document(image_id, image_shape=(*sizes[image_id], 3))
    with Project.open(images) as again:
        assert all(again.mask_path(i).read_bytes() == before[i] for i in again.ids)


@pytest.mark.parametrize("overwrite", [False, True])
def test_labels_at_the_new_size_are_refused(tmp_path: Path, overwrite: bool) -> None:
    images, before, sizes = _resized(tmp_path)
    labels = tmp_path / "labels"
    labels.mkdir()
    for image_id, (h, w) in sizes.items():
        cv2.imwrite(str(labels / f"{image_id}.png"), np.ones((h, w), np.uint8))
    with Project.open(images) as project:
        report = project.import_labels(labels, overwrite=overwrite)
        assert report.imported == [], report
        assert all(project.mask_path(i).read_bytes() == before[i] for i in project.ids)
