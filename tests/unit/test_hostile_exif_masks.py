"""A phone photo stored 64x48 and shown turned (EXIF orientation 6: 48x64 as every viewer shows it): masks,
predictions and exports are all in the orientation the user sees, and a mask drawn on the unturned picture
(by a tool that ignores EXIF) is refused with words that say so. It was told "mask exif6.png is 64x48, the
image is 48x64", which the user, whose file manager says 64x48, could not act on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.io.images import read_image
from fosp_core.io.masks import read_mask
from tests.odd_inputs import IMAGES, H, W

UNTURNED = "stored 64x48 and shown turned (EXIF orientation 6)"


def _mask(shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    mask[0:10, 0:20] = 1  # a block top-left, as the picture is shown
    return mask


@pytest.fixture()
def photo(tmp_path: Path) -> Path:
    src = tmp_path / "photos"
    src.mkdir()
    return IMAGES["jpeg_exif6"].make(src)


def test_a_mask_in_the_shown_orientation_imports_and_exports_aligned(
    tmp_path: Path, photo: Path, capsys: pytest.CaptureFixture
) -> None:
    Project.open(photo.parent).close()
    labels = tmp_path / "labels"
    labels.mkdir()
    Image.fromarray(_mask((W, H)) * 255).save(labels / "exif6.png")  # 48 wide, 64 high: as shown

    assert main(["project", "import", str(photo.parent), str(labels)]) == 0, capsys.readouterr()
    assert main(["project", "export", str(photo.parent), str(tmp_path / "ds"), "--all-train"]) == 0

    image = read_image(tmp_path / "ds" / "JPEGImages" / "exif6.jpg")
    mask = read_mask(tmp_path / "ds" / "SegmentationClass" / "exif6.png")
    assert image.exif_orientation == 1 and image.rgb.shape == (W, H, 3)  # written upright, no EXIF turn
    assert np.abs(image.rgb.astype(int) - read_image(photo).rgb.astype(int)).mean() < 3
    assert np.array_equal(mask, _mask((W, H)))


def test_fosp_predict_writes_the_mask_in_the_shown_orientation(
    tmp_path: Path, photo: Path, tiny_checkpoint_file: Path
) -> None:
    code = main(["predict", str(photo), "--out", str(tmp_path / "out"), "--checkpoint", str(tiny_checkpoint_file),
                 "--device", "cpu", "--save", "mask,overlay", "--quiet"])

    assert code == 0
    assert read_mask(tmp_path / "out" / "masks" / "exif6.png").shape == (W, H)
    assert read_image(tmp_path / "out" / "overlay" / "exif6.jpg").rgb.shape == (W, H, 3)


def test_a_mask_drawn_on_the_unturned_picture_is_refused_saying_so(
    tmp_path: Path, photo: Path, capsys: pytest.CaptureFixture
) -> None:
    Project.open(photo.parent).close()
    labels = tmp_path / "labels"
    labels.mkdir()
    Image.fromarray(_mask((H, W)) * 255).save(labels / "exif6.png")  # 64 wide, 48 high: the stored layout

    code = main(["project", "import", str(photo.parent), str(labels)])

    out, err = capsys.readouterr()
    assert code == 1
    assert "mask exif6.png is 64x48, the image is 48x64" in out and UNTURNED in out, out + err


def test_dataset_stats_says_a_mask_fits_the_unturned_picture(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "ds"
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    IMAGES["jpeg_exif6"].make(root / "img")
    Image.fromarray(_mask((H, W)) * 255).save(root / "gt" / "exif6.png")

    main(["dataset", "stats", str(root)])

    out, err = capsys.readouterr()
    assert "mask is 64x48 but the image is 48x64" in out + err and UNTURNED in out + err, out + err
