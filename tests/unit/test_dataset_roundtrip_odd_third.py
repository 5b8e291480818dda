"""Dataset round trips on odd inputs, third sweep (Q7):

- two files for one id in a SmokeSeg folder (``JPEGImages/x.jpg`` + ``x.png``, or two masks of one
  id) are named, both, when the app opens the folder, as for a SMOKE5K one, and are not listed:
  the annotation project leaves them out (they opened with no document and no message);
- ``fosp dataset convert --split`` keeps exact duplicates (the same bytes under two names) in one
  split, as the project export's drawn splits do;
- convert's "listed in no split" names an id that ``--skip-bad`` leaves out for failing to decode
  once, under that reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

H, W = 24, 32


def _image(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(path, quality=95)
    return path


def _mask(path: Path, value: int = 255) -> Path:
    m = np.zeros((H, W), np.uint8)
    m[4:12, 6:20] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(m).save(path)
    return path


# --- 1. two files for one id in a SmokeSeg folder ----------------------------------------------------

def _smokeseg_two_files(root: Path) -> Path:
    """SmokeSeg: r0 labelled; x.jpg and x.png for one id x (one mask); y with y.png and y.bmp masks."""
    for k, name in enumerate(("r0.jpg", "x.jpg", "x.png", "y.jpg")):
        _image(root / "JPEGImages" / name, k)
    for name in ("r0.png", "x.png", "y.png", "y.bmp"):
        _mask(root / "SegmentationClass" / name)
    return root


def test_the_app_names_both_files_of_one_smokeseg_id(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import read_source
    from fosp_core.open_paths import collect_image_paths

    root = _smokeseg_two_files(tmp_path / "ds")
    images, errors = collect_image_paths([root])
    _, items = read_source(root, images)
    assert [item.id for item in items] == ["r0"]  # the project leaves x and y out
    assert [p.name for p in images] == ["r0.jpg"]  # was all four: three opened with no document
    said = {e.path.name: str(e) for e in errors}
    assert set(said) == {"x", "y"}  # was []: no word
    assert "not opened: two files for one id: x.jpg and x.png" in said["x"]
    assert "y.bmp and y.png" in said["y"] and f"{root / 'SegmentationClass'}" in said["y"]


def test_a_linked_smokeseg_clash_is_left_out_and_named(tmp_path: Path) -> None:
    """A file of the clash that is a symbolic link is listed under its target's path: left out too."""
    from fosp_core.open_paths import collect_image_paths

    root = tmp_path / "ds"
    _image(root / "JPEGImages" / "r0.jpg", 0)
    (root / "JPEGImages" / "x.jpg").symlink_to(_image(tmp_path / "elsewhere" / "photo.jpg", 1))
    _image(root / "JPEGImages" / "x.png", 2)
    images, errors = collect_image_paths([root])
    assert [p.name for p in images] == ["r0.jpg"]
    assert [e.path.name for e in errors] == ["x"]


def test_a_smokeseg_folder_without_clashes_opens_as_before(tmp_path: Path) -> None:
    from fosp_core.open_paths import collect_image_paths

    root = tmp_path / "ds"
    for k, name in enumerate(("a.jpg", "b.png")):
        _image(root / "JPEGImages" / name, k)
    images, errors = collect_image_paths([root])
    assert [p.name for p in images] == ["a.jpg", "b.png"] and errors == []


def test_smokeseg_left_out_is_what_open_dataset_leaves_out(tmp_path: Path) -> None:
    """The app's cheap reading names what the project's reading (`open_dataset`) leaves out."""
    from fosp_core.data.datasets import open_dataset, smokeseg_left_out

    root = _smokeseg_two_files(tmp_path / "ds")
    (root / "JPEGImages" / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (root / "SegmentationClass" / "r0.bmp").symlink_to(tmp_path / "nowhere.bmp")
    dataset = open_dataset(root, on_error="skip", check_sizes=False, keep_unlabelled=True)
    assert smokeseg_left_out(root) == dataset.skipped
    assert {i for i, _ in dataset.skipped} == {"gone", "r0", "x", "y"}
